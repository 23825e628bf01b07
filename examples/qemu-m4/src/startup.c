/* Reset and exception entry for a Cortex-M4F: the vector table (read from address 0 on
 * mps2-an386), .data copied from its load address in flash, .bss zeroed, the FPU enabled
 * (the code is built with -mfloat-abi=hard), then main(). */
#include <stdint.h>

#include "cmsdkUart.h"

extern uint32_t __stack_top;
extern uint32_t __data_load, __data_start, __data_end;
extern uint32_t __bss_start, __bss_end;

int main(void);
void Reset_Handler(void);
void Default_Handler(void);
void HardFault_Handler(void);

#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)

__attribute__((section(".isr_vector"), used)) static void (*const vector_table[16])(void) = {
    (void (*)(void))(&__stack_top), /* initial main stack pointer */
    Reset_Handler,
    Default_Handler,   /* NMI */
    HardFault_Handler, /* HardFault */
    Default_Handler,   /* MemManage */
    Default_Handler,   /* BusFault */
    Default_Handler,   /* UsageFault */
    0, 0, 0, 0,        /* reserved */
    Default_Handler,   /* SVCall */
    Default_Handler,   /* DebugMonitor */
    0,                 /* reserved */
    Default_Handler,   /* PendSV */
    Default_Handler,   /* SysTick */
};

void Reset_Handler(void) {
  /* CP10 and CP11 full access: the first float instruction would fault otherwise. */
  SCB_CPACR |= (0xFu << 20);
  __asm volatile("dsb\n\tisb" ::: "memory");

  uint32_t *src = &__data_load;
  for (uint32_t *dst = &__data_start; dst < &__data_end;) *dst++ = *src++;
  for (uint32_t *dst = &__bss_start; dst < &__bss_end;) *dst++ = 0;

  main();
  for (;;) {
  }
}

/* A fault says so on the UART before it hangs, so a test sees why the stream stopped. */
void HardFault_Handler(void) {
  uart_puts("\n{\"fault\":\"HardFault\"}\n");
  for (;;) {
  }
}

void Default_Handler(void) {
  uart_puts("\n{\"fault\":\"unexpected exception\"}\n");
  for (;;) {
  }
}
