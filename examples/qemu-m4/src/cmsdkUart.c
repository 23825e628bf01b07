/* CMSDK APB UART: DATA, STATE, CTRL, INTSTATUS, BAUDDIV (Arm DDI 0479, "APB UART").
 * Polled, no interrupts: the firmware prints a few hundred bytes per step and reads single
 * command bytes between steps, so a FIFO or an IRQ would buy nothing. */
#include "cmsdkUart.h"

#include <stdint.h>

#define UART0_BASE 0x40004000u

typedef struct {
  volatile uint32_t data;     /* +0x00 */
  volatile uint32_t state;    /* +0x04: bit 0 TX buffer full, bit 1 RX buffer full */
  volatile uint32_t ctrl;     /* +0x08: bit 0 TX enable, bit 1 RX enable */
  volatile uint32_t intstatus;/* +0x0C */
  volatile uint32_t bauddiv;  /* +0x10: at least 16 */
} cmsdk_uart_t;

#define UART0 ((cmsdk_uart_t *)UART0_BASE)
#define STATE_TX_FULL (1u << 0)
#define STATE_RX_FULL (1u << 1)
#define CTRL_TX_EN (1u << 0)
#define CTRL_RX_EN (1u << 1)

void uart_init(unsigned long clock_hz, unsigned long baud) {
  unsigned long div = clock_hz / baud;
  UART0->bauddiv = div < 16 ? 16 : div;
  UART0->ctrl = CTRL_TX_EN | CTRL_RX_EN;
}

void uart_putc(char c) {
  while (UART0->state & STATE_TX_FULL) {
  }
  UART0->data = (uint8_t)c;
}

void uart_write(const char *data, size_t length) {
  for (size_t i = 0; i < length; i++) {
    if (data[i] == '\n') uart_putc('\r');
    uart_putc(data[i]);
  }
}

void uart_puts(const char *s) {
  while (*s) {
    if (*s == '\n') uart_putc('\r');
    uart_putc(*s++);
  }
}

int uart_getc_nonblocking(void) {
  if (!(UART0->state & STATE_RX_FULL)) return -1;
  return (int)(UART0->data & 0xffu);
}
