/* Polled driver for the Arm CMSDK APB UART, UART0 of the MPS2 boards (0x40004000 on mps2-an386).
 * On a real board this file is what changes: see README.md, "On a real Cortex-M4 board". */
#ifndef CMSDK_UART_H
#define CMSDK_UART_H

#include <stddef.h>

void uart_init(unsigned long clock_hz, unsigned long baud);
void uart_putc(char c);
/* Writes a NUL-terminated string; "\n" goes out as "\r\n", as Arduino's Serial.println does. */
void uart_puts(const char *s);
void uart_write(const char *data, size_t length);
/* The received byte, or -1 when none is waiting (never blocks). */
int uart_getc_nonblocking(void);

#endif
