import dev.modelseal.scan.ModelScanner;
import dev.modelseal.scan.ScanReport;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * In-process timing of ModelScanner.scan(FILE), for bench-scan.sh: RUNS scans in one JVM, printing
 * the milliseconds of each and the median of all but the first (JIT warm-up). Run as a single-file
 * program: java -cp CLASSPATH benchmarks/ScanTime.java FILE RUNS
 */
public class ScanTime {
  public static void main(String[] args) {
    Path file = Path.of(args[0]);
    int runs = Integer.parseInt(args[1]);
    ModelScanner scanner = ModelScanner.create();
    long[] ms = new long[runs];
    int findings = 0;
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      ScanReport r = scanner.scan(file);
      ms[i] = (System.nanoTime() - t0) / 1_000_000;
      findings = r.atLeast(dev.modelseal.scan.Severity.LOW).size();
    }
    long[] warm = Arrays.copyOfRange(ms, 1, runs);
    Arrays.sort(warm);
    System.out.println(
        "first " + ms[0] + " ms, median of the next " + warm.length + " " + warm[warm.length / 2]
            + " ms, findings at low or above: " + findings);
  }
}
