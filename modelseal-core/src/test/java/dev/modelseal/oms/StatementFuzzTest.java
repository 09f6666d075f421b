package dev.modelseal.oms;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelseal.fuzz.Fuzz;
import java.nio.file.Path;

/**
 * The Jazzer harness of the in-toto statement parser ({@link OmsStatement#read}), which the bundle
 * harness cannot reach with mutated payloads (the signature is checked first): any input is either
 * read or refused with a {@link SignatureVerificationException} and a one-line message. Seeds in
 * {@code StatementFuzzTestInputs/statement/}, written by {@code fuzz.FuzzSeeds}.
 */
class StatementFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void statement(byte[] data) throws Exception {
    Fuzz.expect(
        () -> OmsStatement.read(data, Path.of("fuzz.sig")), SignatureVerificationException.class);
  }
}
