package dev.modelseal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelsealException;
import dev.modelseal.internal.RegularFiles;
import dev.modelseal.internal.StrictJson;
import dev.modelseal.policy.ModelPolicy;
import dev.modelseal.policy.PolicyRule;
import dev.modelseal.policy.PolicyTrust;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * {@code verify --policy} and {@code pull --policy}: the rule covering the model's source is turned
 * into the command's own options ({@code --public-key}, {@code --trust-anchor}, {@code
 * --trusted-root --identity --issuer}, {@code --digest}, {@code --scan}; {@code --require} for the
 * attestations attached to an {@code oci://} manifest, else a second run with {@code --claims
 * --require} for a local model's claims collection), and the command runs again with them: the same
 * verification, output and exit codes as when those options are typed. The result names the rule
 * that decided (a first line, or a {@code policy} object in JSON). In {@code warn} mode a model
 * that is not verified (exit code 1) is reported on standard error in capitals and the command
 * exits 0; a check that cannot be carried out (exit code 2) stays a failure. A source no rule
 * covers is not verified. {@code pull} publishes only verified models in either mode.
 */
final class PolicyRun {
  private PolicyRun() {}

  /** The source a rule's patterns are matched against: the URI as typed, or an absolute path. */
  static String sourceOf(String typed) {
    if (dev.modelseal.oci.OciReference.looksLikeOci(typed)
        || dev.modelseal.s3.S3Uri.looksLikeS3(typed)) {
      return typed;
    }
    return Path.of(typed).toAbsolutePath().normalize().toString();
  }

  /** Runs {@code verify} or {@code pull} ({@code command}) under the policy; returns the code. */
  static int run(String command, String typed, Path policyFile, boolean json, CommandLine cl)
      throws ModelsealException {
    ModelPolicy policy = PolicyOption.read(policyFile);
    String source = sourceOf(typed);
    Optional<PolicyRule> found = policy.ruleFor(source);
    PrintWriter out = cl.getOut();
    PrintWriter err = cl.getErr();
    if (found.isEmpty()) {
      String why = "no rule of the policy " + policyFile + " covers this source";
      if (json) {
        ObjectNode o = JsonResults.of("modelseal.dev/verify/v1");
        o.put("model", typed);
        o.put("signature", "");
        o.put("verified", false);
        o.put("failure", "POLICY");
        o.put("message", why);
        policyNode(o, policyFile, null, policy.mode());
        out.println(Json.pretty(o));
      } else {
        out.println("NOT VERIFIED " + Printable.of(typed) + ": " + Printable.of(why));
      }
      return outcome(Main.MISMATCH, policy.mode(), policyFile, null, typed, err);
    }
    PolicyRule rule = found.get();
    List<String> base = withoutPolicy(cl.getParseResult().originalArgs(), command);
    boolean remote = !source.startsWith("/");
    StringWriter buf = new StringWriter();
    PrintWriter capture = new PrintWriter(buf, true);
    List<String> argv =
        expand(command, base, rule, remote, dev.modelseal.oci.OciReference.looksLikeOci(typed), cl);
    if (command.equals("pull")
        && source.startsWith("s3://")
        && rule.trust().isPresent()
        && base.stream().noneMatch(a -> a.equals("--signature") || a.startsWith("--signature="))) {
      throw new ParameterException(
          cl, "s3:// under " + rule + " needs --signature URI|FILE (the bundle of the model)");
    }
    int code = Main.run(argv.toArray(String[]::new), capture, err);
    String claimsOut = null;
    if (code == Main.OK
        && !rule.requirements().isEmpty()
        && !dev.modelseal.oci.OciReference.looksLikeOci(typed)) {
      StringWriter cbuf = new StringWriter();
      code = Main.run(claimsArgs(typed, rule, json, cl), new PrintWriter(cbuf, true), err);
      claimsOut = cbuf.toString();
    }
    if (json) {
      ObjectNode o = parsedOrNull(buf.toString());
      if (o == null) {
        out.print(buf); // an error object or another command's output: unchanged
      } else {
        ObjectNode p = policyNode(o, policyFile, rule, rule.mode());
        if (claimsOut != null) {
          ObjectNode c = parsedOrNull(claimsOut);
          if (c != null) {
            p.set("claims", c);
          }
        }
        p.put("warned", code == Main.MISMATCH && rule.mode() == ModelPolicy.Mode.WARN);
        out.println(Json.pretty(o));
      }
    } else {
      out.println(
          "Policy "
              + Printable.of(policyFile.toString())
              + ": "
              + rule
              + " ("
              + rule.mode().word()
              + ") decides for "
              + Printable.of(typed));
      out.print(buf);
      if (claimsOut != null) {
        out.print(claimsOut);
      }
    }
    out.flush();
    return outcome(code, rule.mode(), policyFile, rule.toString(), typed, err);
  }

  private static int outcome(
      int code, ModelPolicy.Mode mode, Path file, String rule, String typed, PrintWriter err) {
    if (code == Main.MISMATCH && mode == ModelPolicy.Mode.WARN) {
      err.println(
          "modelseal: WARNING: "
              + Printable.of(typed)
              + " is NOT VERIFIED "
              + (rule == null ? "(no rule covers it)" : "under " + rule)
              + " of the policy "
              + Printable.of(file.toString())
              + ", whose mode is warn: exit code 0");
      err.flush();
      return Main.OK;
    }
    return code;
  }

  private static ObjectNode policyNode(
      ObjectNode o, Path file, PolicyRule rule, ModelPolicy.Mode mode) {
    ObjectNode p = o.putObject("policy");
    p.put("file", file.toString());
    if (rule == null) {
      p.putNull("rule");
    } else {
      p.put("rule", rule.name());
    }
    p.put("mode", mode.word());
    return p;
  }

  private static ObjectNode parsedOrNull(String text) {
    try {
      JsonNode n = StrictJson.parseObject(text.getBytes(StandardCharsets.UTF_8));
      return n.isObject() && n.has("schema") && !n.path("schema").asText().contains("error")
          ? (ObjectNode) n
          : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The arguments after the subcommand, without {@code --policy FILE}. */
  static List<String> withoutPolicy(List<String> original, String command) {
    List<String> out = new ArrayList<>();
    int i = original.indexOf(command);
    for (i = i + 1; i < original.size(); i++) {
      String a = original.get(i);
      if (a.equals("--policy")) {
        i++;
      } else if (!a.startsWith("--policy=")) {
        out.add(a);
      }
    }
    return out;
  }

  private static List<String> expand(
      String command,
      List<String> base,
      PolicyRule rule,
      boolean remote,
      boolean oci,
      CommandLine cl) {
    List<String> argv = new ArrayList<>();
    Optional<String> pin = rule.pin();
    if (pin.isPresent() && command.equals("verify")) {
      if (remote) {
        throw new ParameterException(
            cl, rule + " pins the model: check a pinned remote model with 'pull --policy'");
      }
      argv.add("check"); // a pinned local model is checked against its pin
      argv.addAll(base);
      argv.add("--digest=" + pin.get());
    } else {
      argv.add(command);
      argv.addAll(base);
      pin.ifPresent(p -> argv.add("--digest=" + p));
      rule.trust().ifPresent(t -> argv.addAll(trustArgs(t)));
    }
    rule.scan().ifPresent(l -> argv.add("--scan=" + l));
    if (!rule.requirements().isEmpty() && oci) {
      // Attached attestations: the command itself verifies them on its verified copy.
      if (!(rule.trust().orElse(null) instanceof PolicyTrust.PublicKeyFile)) {
        throw new ParameterException(cl, rule + ": 'require' needs trust.publicKey");
      }
      rule.requirements().forEach(r -> argv.add("--require=" + r));
    } else if (!rule.requirements().isEmpty() && (remote || command.equals("pull"))) {
      throw new ParameterException(
          cl,
          rule
              + " requires attestations, which are checked on a local model or attached to an"
              + " oci:// manifest: pull it with a rule without 'require', then run 'verify"
              + " --policy' on the directory");
    }
    return argv;
  }

  private static String[] claimsArgs(String typed, PolicyRule rule, boolean json, CommandLine cl) {
    if (!(rule.trust().orElseThrow() instanceof PolicyTrust.PublicKeyFile key)) {
      throw new ParameterException(cl, rule + ": 'require' needs trust.publicKey");
    }
    Path model = Path.of(typed);
    Path claims =
        rule.claims()
            .map(c -> c.isAbsolute() ? c : (isDirectory(model) ? model : parent(model)).resolve(c))
            .orElse(
                isDirectory(model)
                    ? model.resolve("model.claims.jsonl")
                    : Path.of(typed + ".claims.jsonl"));
    List<String> argv =
        new ArrayList<>(
            List.of(
                "verify",
                typed,
                "--claims",
                claims.toString(),
                "--public-key",
                key.file().toString()));
    for (String r : rule.requirements()) {
      argv.add("--require=" + r);
    }
    if (json) {
      argv.add("--json");
    }
    return argv.toArray(String[]::new);
  }

  private static boolean isDirectory(Path p) {
    return java.nio.file.Files.isDirectory(p);
  }

  private static Path parent(Path p) {
    Path a = p.toAbsolutePath().getParent();
    return a == null ? Path.of(".") : a;
  }

  private static List<String> trustArgs(PolicyTrust t) {
    List<String> a = new ArrayList<>();
    if (t instanceof PolicyTrust.PublicKeyFile k) {
      a.add("--public-key=" + k.file());
    } else if (t instanceof PolicyTrust.TrustAnchors anchors) {
      for (Path f : anchors.files()) {
        a.add("--trust-anchor=" + f);
      }
    } else if (t instanceof PolicyTrust.Keyless k) {
      a.add("--trusted-root=" + k.trustedRoot());
      a.add("--identity=" + k.identity());
      a.add("--issuer=" + k.issuer());
    }
    return a;
  }

  /** Checks that the files a rule names are regular files (for {@code policy check}). */
  static void requireFiles(PolicyRule r, Path policyFile) throws ModelsealException {
    List<Path> files = new ArrayList<>();
    r.trust()
        .ifPresent(
            t -> {
              if (t instanceof PolicyTrust.PublicKeyFile k) {
                files.add(k.file());
              } else if (t instanceof PolicyTrust.TrustAnchors a) {
                files.addAll(a.files());
              } else if (t instanceof PolicyTrust.Keyless k) {
                files.add(k.trustedRoot());
              }
            });
    for (Path f : files) {
      try {
        RegularFiles.requireRegular(f);
      } catch (IOException e) {
        throw new InvalidInputException(
            policyFile, r + " names " + f + ", which cannot be read (" + e.getMessage() + ")");
      }
    }
    if (r.trust().isPresent()) {
      r.trust().get().trustPolicy(); // the keys and certificates parse
    }
  }

  /** One line about a rule for {@code policy check}. */
  static String describe(PolicyRule r) {
    StringBuilder b = new StringBuilder(r.toString()).append(" (").append(r.mode().word());
    b.append("): ").append(String.join(", ", r.sources()));
    r.trust()
        .ifPresent(
            t ->
                b.append(
                    t instanceof PolicyTrust.PublicKeyFile
                        ? "; signed by a public key"
                        : t instanceof PolicyTrust.TrustAnchors
                            ? "; signed under trust anchors"
                            : "; signed keyless"));
    r.pin().ifPresent(p -> b.append("; pinned to ").append(p));
    r.scan().ifPresent(s -> b.append("; scan below ").append(s));
    if (!r.requirements().isEmpty()) {
      b.append("; requires ").append(String.join(", ", r.requirements()));
    }
    return Printable.of(b.toString());
  }
}
