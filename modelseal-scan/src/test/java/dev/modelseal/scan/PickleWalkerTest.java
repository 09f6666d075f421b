package dev.modelseal.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-assembled pickles for the opcode tricks published against other scanners. */
class PickleWalkerTest {
  @TempDir Path dir;

  private ScanReport scan(byte[] pickle) throws IOException {
    return scan(pickle, ModelScanner.create());
  }

  private ScanReport scan(byte[] pickle, ModelScanner scanner) throws IOException {
    Path f = dir.resolve("p.bin");
    Files.write(f, pickle);
    return scanner.scan(f);
  }

  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object p : parts) {
      if (p instanceof String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
      } else if (p instanceof Integer i) {
        out.write(i);
      } else if (p instanceof Character ch) {
        out.write(ch);
      } else {
        out.writeBytes((byte[]) p);
      }
    }
    return out.toByteArray();
  }

  private static byte[] su(String s) {
    return bytes(0x8c, s.length(), s);
  }

  private static List<String> rules(ScanReport r) {
    return r.findings().stream().map(f -> f.rule() + " " + f.message()).toList();
  }

  @Test
  void memoMixingPutAndMemoize_namesTheRealGlobal() throws IOException {
    // picklescan #14: BINPUT 0/1 hold 'os'/'system'; MEMOIZE then stores the safe strings at
    // indices 2 and 3 (memo size), not 0 and 1.
    byte[] p =
        bytes(
            0x80,
            4,
            su("os"),
            'q',
            0,
            '0',
            su("system"),
            'q',
            1,
            '0',
            su("torch._utils"),
            0x94,
            '0',
            su("_rebuild_tensor_v2"),
            0x94,
            '0',
            'h',
            0,
            'h',
            1,
            0x93,
            ')',
            'R',
            '.');
    ScanReport r = scan(p);
    assertThat(r.findings())
        .anyMatch(
            f ->
                f.rule().equals("pickle.dangerous-import")
                    && f.message().contains("os.system")
                    && f.location().contains("STACK_GLOBAL at offset"));
  }

  @Test
  void memoPutWithTextKeys_protocol0_namesTheGlobal() throws IOException {
    // picklescan PR #23: PUT/GET with out-of-order text keys.
    byte[] p =
        bytes(
            "Vos\np2\n0Vsystem\np3\n0Vtorch\np0\n0VLongStorage\np1\n0g2\ng3\n",
            0x93,
            "(Vecho\ntR.");
    ScanReport r = scan(p);
    assertThat(rules(r))
        .anyMatch(s -> s.startsWith("pickle.dangerous-import") && s.contains("os.system"));
  }

  @Test
  void missingMemoKey_keepsEarlierFinding_andReportsTheBreak() throws IOException {
    // modelscan PR #348: a GET of a missing key must not hide what came before.
    byte[] p = bytes(0x80, 2, "cos\nsystem\n", 'h', 9, '.');
    ScanReport r = scan(p);
    assertThat(rules(r))
        .anyMatch(s -> s.startsWith("pickle.dangerous-import"))
        .anyMatch(s -> s.startsWith("pickle.malformed") && s.contains("memo entry 9"));
  }

  @Test
  void stackGlobalOfNonStrings_isUnnamedImport() throws IOException {
    // picklescan PR #52: type confusion, an int from the memo as operand.
    byte[] p = bytes(0x80, 4, 'K', 7, 0x94, su("system"), 'h', 0, 'h', 0, 0x93, '.');
    ScanReport r = scan(p);
    assertThat(rules(r)).anyMatch(s -> s.startsWith("pickle.unnamed-import"));
  }

  @Test
  void extensionRegistry_isUnnamedImport() throws IOException {
    ScanReport r = scan(bytes(0x80, 2, 0x82, 1, ')', 'R', '.'));
    assertThat(rules(r))
        .anyMatch(s -> s.startsWith("pickle.unnamed-import") && s.contains("extension code 1"));
  }

  @Test
  void instOpcode_isAnImport() throws IOException {
    ScanReport r = scan(bytes("(S'echo'\nios\nsystem\n."));
    assertThat(rules(r))
        .anyMatch(s -> s.startsWith("pickle.dangerous-import") && s.contains("os.system"));
    assertThat(r.imports())
        .extracting(PickleImport::location)
        .anyMatch(l -> l.contains("INST at offset 9"));
  }

  @Test
  void dupExpansionBomb_isWalkedInLinearTime() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(new byte[] {(byte) 0x80, 2, ']'});
    for (int i = 0; i < 200_000; i++) {
      b.write('2'); // DUP: the real unpickler shares the reference; a naive copy would explode
      b.write('a');
    }
    b.write('.');
    long t0 = System.nanoTime();
    ScanReport r = scan(b.toByteArray());
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
    assertThat(r.findings()).isEmpty();
  }

  @Test
  void opcodeLimit_isAFinding_notAHang() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(new byte[] {(byte) 0x80, 2, 'N'});
    for (int i = 0; i < 10_000; i++) {
      b.write('0');
      b.write('N');
    }
    b.write('.');
    ModelScanner s =
        ModelScanner.builder().limits(ScanLimits.defaults().withPickleOps(1000)).build();
    ScanReport r = scan(b.toByteArray(), s);
    assertThat(rules(r)).anyMatch(x -> x.startsWith("pickle.limit") && x.contains("1000"));
  }

  @Test
  void stackLimit_isAFinding() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(new byte[] {(byte) 0x80, 2});
    for (int i = 0; i < 5_000; i++) {
      b.write('N');
    }
    b.write('.');
    ModelScanner s =
        ModelScanner.builder().limits(ScanLimits.defaults().withPickleEntries(100)).build();
    assertThat(rules(scan(b.toByteArray(), s))).anyMatch(x -> x.startsWith("pickle.limit"));
  }

  @Test
  void hugeLengthField_isTruncation_notAllocation() throws IOException {
    byte[] p = bytes(0x80, 4, 0x8e, new byte[] {-1, -1, -1, -1, -1, -1, -1, 0x7f}, '.');
    assertThat(rules(scan(p))).anyMatch(x -> x.startsWith("pickle.malformed"));
  }

  @Test
  void protocol0_longStringBeforeThePayload_isStillAPickle() throws IOException {
    // The first opcode's argument is longer than the 512-byte head used for routing.
    byte[] p = bytes("S'", "A".repeat(1000), "'\n0cos\nsystem\n(S'echo'\ntR.");
    assertThat(rules(scan(p)))
        .anyMatch(s -> s.startsWith("pickle.dangerous-import") && s.contains("os.system"));
  }

  @Test
  void textStartingLikeOpcodes_isSkipped() throws IOException {
    ScanReport r =
        scan(("INFO: " + "x".repeat(600) + "\nSome text\n").getBytes(StandardCharsets.US_ASCII));
    assertThat(r.findings()).isEmpty();
    assertThat(r.skipped()).hasSize(1);
  }

  @Test
  void textFile_isSkipped_notAPickle() throws IOException {
    ScanReport r =
        scan("MIT License\n\nCopyright (c) someone\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(r.findings()).isEmpty();
    assertThat(r.skipped()).extracting(Skipped::reason).containsExactly("text, not a model format");
  }

  @Test
  void unknownBinary_failsClosed() throws IOException {
    ScanReport r = scan(new byte[] {0, 1, 2, 3, (byte) 0xfe, 0x11, 0x22});
    assertThat(rules(r)).anyMatch(x -> x.startsWith("scan.unknown-format"));
  }
}
