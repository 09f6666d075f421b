package dev.modelseal.demo;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.modelseal.IntegrityException;
import dev.modelseal.ModelsealException;
import dev.modelseal.attest.AttestationVerifier;
import dev.modelseal.attest.MetricRequirement;
import dev.modelseal.attest.Metrics;
import dev.modelseal.attest.MetricsAttester;
import dev.modelseal.attest.MetricsStatement;
import dev.modelseal.attest.VerifiedAttestation;
import dev.modelseal.digest.Digest;
import dev.modelseal.fingerprint.Fingerprinter;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.keys.PemFiles;
import dev.modelseal.keys.SigningKey;
import dev.modelseal.keys.VerificationKey;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ModelHasher;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.oms.OmsSigner;
import dev.modelseal.oms.OmsVerifier;
import dev.modelseal.onnxruntime.VerifiedOnnxSession;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.pin.VerifiedModel;
import dev.modelseal.s3.S3ModelSource;
import dev.modelseal.s3.S3Options;
import dev.modelseal.s3.S3Uri;
import dev.modelseal.scan.ModelScanner;
import dev.modelseal.scan.ScannedModel;
import dev.modelseal.scan.Severity;
import dev.modelseal.walk.ModelWalker;
import dev.modelseal.walk.WalkOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The end-to-end demo, self-contained and offline: trains a digit classifier, exports it to ONNX,
 * computes its file and weight digests, signs it (OMS v1.0), attests its F1 on held-out data,
 * publishes it to an S3-compatible server on 127.0.0.1, then deploys it the safe way (pull, verify
 * while streaming, publish only verified bytes, scan them for code that would run on load, load
 * into ONNX Runtime from the verified bytes, predict) and finally plays the attacker twice: a
 * retrained model swapped into the bucket, and a metrics claim edited to look better. Both must be
 * refused.
 */
public final class Demo {
  private static final String BUCKET = "models";
  private static final String PREFIX = "digits-classifier/v1";
  private static final BigDecimal REQUIRED_F1 = new BigDecimal("0.90");

  private final PrintStream out;
  private final Path home;
  private final Path work;
  private final long start = System.nanoTime();
  private int failures;

  private Demo(PrintStream out, Path home, Path work) {
    this.out = out;
    this.home = home;
    this.work = work;
  }

  /**
   * Runs the demo. Returns 0 when every step behaved as expected (the genuine model deployed, both
   * attacks refused), 1 otherwise.
   *
   * @param home the repository root (where {@code modelseal-demo-s3proxy/target/lib} is)
   * @param keep keep the workspace instead of deleting it
   */
  public static int run(PrintStream out, Path home, boolean keep) throws Exception {
    Path work = Files.createTempDirectory("modelseal-demo-");
    Demo d = new Demo(out, home, work);
    try {
      return d.run();
    } finally {
      if (keep) {
        out.println("workspace kept: " + work);
      } else {
        deleteTree(work);
      }
    }
  }

  private int run() throws Exception {
    out.println("modelseal demo: authenticate a model from training to serving");
    out.println("workspace " + work);
    out.println();

    // 1. Train and evaluate.
    long t = System.nanoTime();
    Digits[] split = Digits.load().split(0.2, 42);
    SoftmaxClassifier model = SoftmaxClassifier.train(split[0], 150, 1.0, 7);
    step(1, "Train", "softmax regression on " + split[0].size() + " handwritten digits (8x8)", t);
    t = System.nanoTime();
    Evaluation eval = Evaluation.of(model.predict(split[1].x()), split[1].y(), Digits.CLASSES);
    step(
        2,
        "Evaluate",
        String.format(
            Locale.ROOT,
            "held-out %d digits: accuracy %.3f, macro F1 %.3f",
            split[1].size(),
            eval.accuracy(),
            eval.macroF1()),
        t);

    // 2. Export, digests.
    t = System.nanoTime();
    Path release = Files.createDirectories(work.resolve("release/digits-classifier"));
    Files.write(release.resolve("model.onnx"), OnnxExport.export(model, "1"));
    Files.writeString(
        release.resolve("labels.json"),
        "[\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]\n");
    Manifest manifest = hash(release);
    Optional<Digest> weights = weightsDigest(release.resolve("model.onnx"));
    step(3, "Export", "model.onnx + labels.json", t);
    detail("file digest    " + manifest.root() + "  (OMS root: what `modelseal hash` prints)");
    detail(
        "weight digest  "
            + weights.map(Digest::toString).orElse("n/a (no ONNX tensor reader in this build)")
            + "  (tensor content, any format)");

    // 3. Sign.
    t = System.nanoTime();
    KeyPair kp = ecKeyPair();
    Path keys = Files.createDirectories(work.resolve("keys"));
    Path privatePem = keys.resolve("release-key.pem");
    Files.writeString(privatePem, pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
    Path publicPem = keys.resolve("release-key.pub.pem");
    Files.writeString(publicPem, PemFiles.publicKeyPem(kp.getPublic()));
    SigningKey signingKey = PemFiles.readPrivateKey(privatePem, null);
    VerificationKey verificationKey = PemFiles.readPublicKey(publicPem);
    Path sig = work.resolve("release/model.sig");
    OmsSigner.withKey(signingKey).signTo(release, sig, WalkOptions.defaults());
    step(4, "Sign", "OpenSSF Model Signing v1.0 bundle, EC P-256 release key -> model.sig", t);

    // 4. Attest the metrics.
    t = System.nanoTime();
    Path testSet = Files.createDirectories(work.resolve("eval/digits-test"));
    Files.writeString(testSet.resolve("test.csv"), csv(split[1]));
    Digest datasetDigest = hash(testSet).root();
    Metrics metrics =
        Metrics.of(
            Map.of(
                "f1", round(eval.macroF1()),
                "accuracy", round(eval.accuracy())));
    MetricsStatement statement =
        new MetricsStatement(
            manifest.modelName(),
            manifest.root(),
            Serialization.defaults(),
            weights,
            metrics,
            Optional.of(new MetricsStatement.Dataset("digits-test", datasetDigest)));
    Path attestation = work.resolve("release/attestation.json");
    MetricsAttester.withKey(signingKey).signTo(statement, attestation);
    step(
        5,
        "Attest",
        "f1="
            + metrics.values().get("f1")
            + ", accuracy="
            + metrics.values().get("accuracy")
            + " on "
            + datasetDigest.toString().substring(0, 19)
            + "... -> attestation.json",
        t);

    System.setProperty("aws.accessKeyId", S3Server.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", S3Server.SECRET_KEY);
    t = System.nanoTime();
    try (S3Server server = S3Server.start(home.resolve("modelseal-demo-s3proxy/target/lib"), work);
        S3Client s3 = client(server)) {
      // 5. Publish (the training job's upload).
      s3.createBucket(b -> b.bucket(BUCKET));
      int objects = upload(s3, release, PREFIX);
      put(s3, PREFIX + "/model.sig", Files.readAllBytes(sig));
      put(s3, "attestations/digits-classifier-v1.json", Files.readAllBytes(attestation));
      step(
          6,
          "Publish",
          "s3://"
              + BUCKET
              + "/"
              + PREFIX
              + " on a local S3-compatible server ("
              + server.endpoint()
              + "), "
              + (objects + 1)
              + " objects + attestation",
          t);

      S3Options options =
          S3Options.defaults().endpoint(server.endpoint()).pathStyle(true).region("us-east-1");
      Path serving = Files.createDirectories(work.resolve("serving"));
      Path publicKeyForDeploy = publicPem;

      // 6. Deploy: pull + verify while streaming, then attestation, then ONNX Runtime.
      t = System.nanoTime();
      try (S3ModelSource source = S3ModelSource.create(options)) {
        Path target = serving.resolve("digits");
        S3Uri uri = S3Uri.parse("s3://" + BUCKET + "/" + PREFIX);
        ModelPin pin = signaturePin(source, uri, publicKeyForDeploy);
        var pulled = source.pull(uri, pin, target, false);
        step(7, "Deploy", "pull + verify signature while streaming -> serving/digits", t);
        detail(
            "verified "
                + pulled.rootDigest()
                + ", "
                + pulled.bytes()
                + " bytes, published atomically");
        Path att = work.resolve("deploy-attestation.json");
        Files.write(
            att,
            source.readObject(
                S3Uri.parse("s3://" + BUCKET + "/attestations/digits-classifier-v1.json"),
                AttestationVerifier.MAX_BYTES));
        AttestationVerifier verifier =
            AttestationVerifier.withPublicKey(verificationKey)
                .requiring(List.of(MetricRequirement.parse("f1>=" + REQUIRED_F1)));
        if (weights.isPresent()) {
          // The weights are digested from the verified copy, not from the deployed path.
          verifier = verifier.checkingWeights(vm -> weightsDigest(vm.file("model.onnx")));
        }
        try (VerifiedModel vm = verifier.open(target, att)) {
          VerifiedAttestation a = verifier.check(target, att);
          detail(
              "attestation verified: f1 "
                  + a.metrics().values().get("f1")
                  + " >= "
                  + REQUIRED_F1
                  + " for exactly this model");
          ScannedModel scanned = ModelScanner.create().require(vm, Severity.MEDIUM);
          detail(
              "scanned the verified bytes: no code would run on load ("
                  + scanned.report().findings().size()
                  + " findings, none at medium or above)");
          predict(scanned.model(), split[1]);
        }
      }

      // 7. The attacker.
      out.println();
      out.println("[8/8] Attacks");
      t = System.nanoTime();
      SoftmaxClassifier evil = SoftmaxClassifier.train(poisoned(split[0]), 150, 1.0, 11);
      put(s3, PREFIX + "/model.onnx", OnnxExport.export(evil, "1"));
      out.println(
          "   A) a retrained (poisoned) model overwrites s3://"
              + BUCKET
              + "/"
              + PREFIX
              + "/model.onnx");
      try (S3ModelSource source = S3ModelSource.create(options)) {
        S3Uri uri = S3Uri.parse("s3://" + BUCKET + "/" + PREFIX);
        Path target = serving.resolve("digits-next");
        try {
          source.pull(uri, signaturePin(source, uri, publicKeyForDeploy), target, false);
          fail("the swapped model was deployed");
        } catch (IntegrityException e) {
          refused(e.reason());
          if (Files.exists(target)) {
            fail("something was published at " + target);
          } else {
            detail(
                "nothing published at serving/digits-next; serving/digits still holds the verified model");
          }
        }
      }
      elapsed(t);

      t = System.nanoTime();
      out.println("   B) the attestation is edited to claim f1=0.99 (the model itself is genuine)");
      Path forged = work.resolve("forged-attestation.json");
      Files.writeString(forged, editMetric(Files.readString(attestation), "f1", "0.99"));
      try {
        AttestationVerifier.withPublicKey(verificationKey)
            .requiring(List.of(MetricRequirement.parse("f1>=0.95")))
            .check(serving.resolve("digits"), forged);
        fail("the edited metrics were accepted");
      } catch (IntegrityException e) {
        refused(e.reason());
      }
      elapsed(t);
    }

    out.println();
    double total = (System.nanoTime() - start) / 1e9;
    if (failures == 0) {
      out.printf(
          Locale.ROOT,
          "Done in %.1f s: the genuine model was deployed; both attacks were refused.%n",
          total);
      return 0;
    }
    out.printf(Locale.ROOT, "Done in %.1f s with %d unexpected result(s).%n", total, failures);
    return 1;
  }

  private static ModelPin signaturePin(S3ModelSource source, S3Uri uri, Path publicKey)
      throws ModelsealException {
    return OmsVerifier.withPublicKey(PemFiles.readPublicKey(publicKey))
        .pin(source.model(uri), null);
  }

  private void predict(VerifiedModel vm, Digits test) throws ModelsealException, OrtException {
    long t = System.nanoTime();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session =
            VerifiedOnnxSession.create(env, vm, "model.onnx", new OrtSession.SessionOptions());
        OnnxTensor in = OnnxTensor.createTensor(env, test.x());
        OrtSession.Result r = session.run(Map.of("pixels", in))) {
      float[][] probs = (float[][]) r.get(0).getValue();
      int[] predicted = new int[probs.length];
      for (int i = 0; i < probs.length; i++) {
        for (int k = 1; k < probs[i].length; k++) {
          if (probs[i][k] > probs[i][predicted[i]]) {
            predicted[i] = k;
          }
        }
      }
      Evaluation e = Evaluation.of(predicted, test.y(), Digits.CLASSES);
      StringBuilder sample = new StringBuilder();
      for (int i = 0; i < 8; i++) {
        sample.append(predicted[i]).append(predicted[i] == test.y()[i] ? " " : "x ");
      }
      detail(
          String.format(
              Locale.ROOT,
              "ONNX Runtime session from the verified bytes: %d predictions, accuracy %.3f (%.0f ms)",
              predicted.length,
              e.accuracy(),
              (System.nanoTime() - t) / 1e6));
      detail("first predictions: " + sample.toString().strip());
    }
  }

  private static Manifest hash(Path dir) throws ModelsealException {
    return ModelHasher.of(Serialization.defaults())
        .hash(ModelWalker.with(WalkOptions.defaults()).walk(dir));
  }

  private static Optional<Digest> weightsDigest(Path onnx) throws ModelsealException {
    try (TensorModel m = FormatDetector.create().open(onnx)) {
      return Optional.of(Fingerprinter.create().fingerprint(m).content());
    } catch (dev.modelseal.formats.FormatException e) {
      return Optional.empty();
    }
  }

  /** The same data with labels rotated for one digit: a backdoored retraining. */
  private static Digits poisoned(Digits train) {
    int[] y = train.y().clone();
    for (int i = 0; i < y.length; i++) {
      if (y[i] == 7) {
        y[i] = 1;
      }
    }
    return new Digits(train.x(), y);
  }

  private static String editMetric(String envelopeJson, String metric, String value) {
    int i = envelopeJson.indexOf("\"payload\"");
    int start = envelopeJson.indexOf('"', envelopeJson.indexOf(':', i)) + 1;
    int end = envelopeJson.indexOf('"', start);
    String payload =
        new String(
            Base64.getDecoder().decode(envelopeJson.substring(start, end)), StandardCharsets.UTF_8);
    String key = "\"" + metric + "\":";
    int k = payload.indexOf(key) + key.length();
    int e = k;
    while (e < payload.length() && ",}".indexOf(payload.charAt(e)) < 0) {
      e++;
    }
    String edited = payload.substring(0, k) + value + payload.substring(e);
    return envelopeJson.substring(0, start)
        + Base64.getEncoder().encodeToString(edited.getBytes(StandardCharsets.UTF_8))
        + envelopeJson.substring(end);
  }

  private static S3Client client(S3Server server) {
    return S3Client.builder()
        .endpointOverride(server.endpoint())
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  private static int upload(S3Client s3, Path dir, String prefix) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files) {
      String key = prefix + "/" + dir.relativize(f).toString().replace('\\', '/');
      s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromFile(f));
    }
    return files.size();
  }

  private static void put(S3Client s3, String key, byte[] bytes) {
    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
  }

  private static KeyPair ecKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static String csv(Digits d) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < d.size(); i++) {
      for (float v : d.x()[i]) {
        b.append(Math.round(v * 16)).append(',');
      }
      b.append(d.y()[i]).append('\n');
    }
    return b.toString();
  }

  private static BigDecimal round(double v) {
    return BigDecimal.valueOf(v).setScale(3, RoundingMode.HALF_EVEN);
  }

  private void step(int n, String name, String text, long startNanos) {
    out.printf(
        Locale.ROOT,
        "[%d/8] %-9s %s  (%.2f s)%n",
        n,
        name,
        text,
        (System.nanoTime() - startNanos) / 1e9);
  }

  private void detail(String text) {
    out.println("                " + text);
  }

  private void refused(String reason) {
    out.println("      -> REFUSED: " + reason);
  }

  private void elapsed(long startNanos) {
    out.printf(Locale.ROOT, "      (%.2f s)%n", (System.nanoTime() - startNanos) / 1e9);
  }

  private void fail(String what) {
    failures++;
    out.println("      !! UNEXPECTED: " + what);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.forEach(all::add);
    }
    all.sort(Comparator.reverseOrder());
    for (Path p : all) {
      p.toFile().setWritable(true);
      Files.deleteIfExists(p);
    }
  }
}
