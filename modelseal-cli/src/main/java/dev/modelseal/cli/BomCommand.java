package dev.modelseal.cli;

import dev.modelseal.IntegrityException;
import dev.modelseal.ModelsealException;
import dev.modelseal.attest.ClaimsReport;
import dev.modelseal.attest.ClaimsVerifier;
import dev.modelseal.bom.Evidence;
import dev.modelseal.bom.ModelBom;
import dev.modelseal.internal.AtomicFiles;
import dev.modelseal.keys.PemFiles;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.oms.OmsVerifier;
import dev.modelseal.scan.ModelScanner;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code modelseal bom}: a CycloneDX 1.6 AI-BOM of a model (library: modelseal-bom). */
@Command(
    name = "bom",
    mixinStandardHelpOptions = true,
    description = {
      "Write a CycloneDX 1.6 JSON AI-BOM of a model read once into a verified private copy:"
          + " every file's SHA-256, the OMS root and pin, weight digests and formats, the scan,"
          + " the outcome of --signature and --claims (verified or not, by whom), verified"
          + " metrics as model-card performance metrics, load-time dependencies as components."
    },
    footer = {"", "Exit codes: 0 written, 2 usage or input error. See docs/bom.md."})
final class BomCommand implements Callable<Integer> {
  /** BOM formats. */
  enum BomFormat {
    cyclonedx,
    spdx
  }

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PATH", description = "The model file or directory.")
  Path model;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the BOM to FILE (atomically) instead of standard output.")
  Path output;

  @Option(names = "--format", paramLabel = "FORMAT", description = "cyclonedx (default).")
  BomFormat format = BomFormat.cyclonedx;

  @Option(
      names = "--signature",
      paramLabel = "SIG",
      description = "Check and record this OMS signature.")
  Path signature;

  @Option(
      names = "--public-key",
      paramLabel = "PEM",
      description = "Key for --signature, --claims.")
  Path publicKey;

  @Option(names = "--claims", paramLabel = "FILE", description = "Check and record a claims.jsonl.")
  Path claims;

  @Override
  public Integer call() throws ModelsealException {
    if (format == BomFormat.spdx) {
      throw new ParameterException(
          spec.commandLine(),
          "--format spdx is not available: the SPDX 3 Java library is not an allowed dependency"
              + " (see docs/bom.md)");
    }
    if ((signature != null || claims != null) && publicKey == null) {
      throw new ParameterException(
          spec.commandLine(), "--signature and --claims need --public-key");
    }
    VerificationKey key = publicKey == null ? null : PemFiles.readPublicKey(publicKey);
    Optional<Evidence.SignatureOutcome> sig = Optional.empty();
    if (signature != null) {
      try {
        var m = OmsVerifier.withPublicKey(key).check(model, signature);
        sig =
            Optional.of(
                new Evidence.SignatureOutcome(
                    signature.toString(),
                    true,
                    key.hint(),
                    "verified: " + m.resources().size() + " files, " + m.root()));
      } catch (IntegrityException e) {
        sig =
            Optional.of(
                new Evidence.SignatureOutcome(signature.toString(), false, key.hint(), e.reason()));
      }
    }
    Optional<ClaimsReport> report = Optional.empty();
    if (claims != null) {
      report =
          Optional.of(
              ClaimsVerifier.withPublicKey(key)
                  .checkingWeights(WeightDigests::contentDigest)
                  .verify(model, claims));
    }
    Serialization s =
        EvidenceFiles.leavingOut(Serialization.defaults(), model, output, signature, claims);
    byte[] bom =
        ModelBom.create(ModelScanner.create()).cycloneDx(model, s, new Evidence(sig, report));
    if (output != null) {
      AtomicFiles.write(output, bom);
    } else {
      PrintWriter out = spec.commandLine().getOut();
      out.print(new String(bom, StandardCharsets.UTF_8));
      out.println();
      out.flush();
    }
    return Main.OK;
  }
}
