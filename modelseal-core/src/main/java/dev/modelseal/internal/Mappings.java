package dev.modelseal.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.MappedByteBuffer;

/**
 * Releases memory-mapped windows as soon as they are no longer needed, instead of waiting for the
 * garbage collector, so that hashing a many-GB model keeps a flat footprint. Uses the JDK's
 * supported-but-unofficial {@code sun.misc.Unsafe#invokeCleaner}; when that is unavailable the
 * window is left to the garbage collector. Callers must not touch a buffer after unmapping it.
 */
public final class Mappings {
  private static final Object UNSAFE;
  private static final Method INVOKE_CLEANER;

  static {
    Object unsafe = null;
    Method cleaner = null;
    try {
      Class<?> c = Class.forName("sun.misc.Unsafe");
      Field f = c.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      unsafe = f.get(null);
      cleaner = c.getMethod("invokeCleaner", java.nio.ByteBuffer.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      unsafe = null;
      cleaner = null;
    }
    UNSAFE = unsafe;
    INVOKE_CLEANER = cleaner;
  }

  private Mappings() {}

  /** Unmaps {@code buffer} now if the JDK allows it. */
  public static void unmap(MappedByteBuffer buffer) {
    if (INVOKE_CLEANER == null) {
      return;
    }
    try {
      INVOKE_CLEANER.invoke(UNSAFE, buffer);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Left to the garbage collector.
    }
  }
}
