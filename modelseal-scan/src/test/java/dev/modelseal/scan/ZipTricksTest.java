package dev.modelseal.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zip tricks on the torch.save fixture: a wrong CRC and a reserved flag bit on data.pkl (torch 2.x
 * still loads such a file: measured with torch.load(weights_only=True) on the patched clean
 * fixture) do not hide the payload; an encryption flag on data.pkl (torch refuses it, "unsupported
 * encryption") is a medium {@code zip.encrypted-member} finding (its content cannot be classified),
 * never clean, and the archive's other members are still scanned.
 */
class ZipTricksTest {
  @TempDir Path dir;

  /** Sets {@code flags} and the CRC in data.pkl's local and central headers. */
  private Path patched(int flags, int crc) throws IOException {
    byte[] b = Files.readAllBytes(Fixtures.of("torch_system.pt"));
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i + 46 < b.length; i++) {
      if (bb.getInt(i) != 0x02014b50) {
        continue;
      }
      int nameLen = bb.getShort(i + 28) & 0xFFFF;
      String name = new String(b, i + 46, nameLen, StandardCharsets.UTF_8);
      if (!name.endsWith("data.pkl")) {
        continue;
      }
      int local = bb.getInt(i + 42);
      short f = (short) ((bb.getShort(i + 8) & 0xFFFF) | flags);
      bb.putShort(i + 8, f).putShort(local + 6, f);
      bb.putInt(i + 16, crc).putInt(local + 14, crc);
    }
    Path p = dir.resolve("patched.pt");
    Files.write(p, b);
    return p;
  }

  @Test
  void wrongCrcAndReservedFlag_payloadStillFound() throws IOException {
    ScanReport r = ModelScanner.create().scan(patched(0x10, 0xDEADBEEF));
    assertThat(r.findings())
        .anyMatch(
            f ->
                f.rule().equals("pickle.dangerous-import")
                    && f.location().startsWith("member 'archive/data.pkl'"));
  }

  @Test
  void encryptionFlag_isAMediumFindingAndTheOtherMembersAreScanned() throws IOException {
    ScanReport r = ModelScanner.create().scan(patched(0x01, 0xDEADBEEF));
    assertThat(r.findings())
        .anyMatch(f -> f.rule().equals("zip.encrypted-member") && f.severity() == Severity.MEDIUM)
        .noneMatch(f -> f.rule().equals("zip.malformed"));
  }
}
