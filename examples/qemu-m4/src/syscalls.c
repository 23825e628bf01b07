/* The few newlib hooks this firmware reaches: snprintf's float conversion allocates through
 * _sbrk (newlib's dtoa uses Balloc), and libm's error path may touch errno. Output goes through
 * uart_write directly; there is no stdout FILE. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

extern uint8_t __heap_start, __heap_end;

void *_sbrk(ptrdiff_t increment) {
  static uint8_t *brk = &__heap_start;
  if (increment > 0 && (size_t)increment > (size_t)(&__heap_end - brk)) {
    errno = ENOMEM;
    return (void *)-1;
  }
  uint8_t *previous = brk;
  brk += increment;
  return previous;
}

/* Empty: there are no C++ constructors, and -nostartfiles drops crti/crtn. */
void _init(void) {}
void _fini(void) {}
