package dev.modelseal.testing;

import java.util.HashSet;
import java.util.Set;

/**
 * The JDK {@code HttpClient}'s selector threads alive now: such a thread waits in native code and
 * holds the JVM's exit for 300 ms, so commands that only read (pulls, timestamps) must not start
 * one.
 */
public final class HttpClientThreads {
  private HttpClientThreads() {}

  /** The names of the live {@code HttpClient-N-SelectorManager} threads. */
  public static Set<String> selectorThreads() {
    Set<String> names = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager")) {
        names.add(t.getName());
      }
    }
    return names;
  }
}
