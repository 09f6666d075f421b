package dev.modelseal.oms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.dsse.Envelope;
import dev.modelseal.internal.AtomicFiles;
import dev.modelseal.internal.RegularFiles;
import dev.modelseal.internal.StrictJson;
import dev.modelseal.keys.PemFiles;
import dev.modelseal.oms.SignatureVerificationException.Failure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An OMS signature file: a Sigstore bundle ({@code mediaType}, {@code verificationMaterial}, {@code
 * dsseEnvelope}).
 *
 * <p>Reading is strict and bounded: at most {@link #DEFAULT_MAX_BYTES} bytes (or the limit given),
 * read before parsing; JSON into a tree only, duplicate keys refused; the media type and payload
 * type must be OMS's; exactly one signature; the verification material must be exactly one of a
 * public key, a certificate chain (leaf first) or a keyless certificate with log entries. Reading
 * verifies nothing: give the bundle to {@link OmsVerifier}.
 */
public final class OmsBundle {
  /** The largest bundle read by default (16 MiB: about 100,000 files). */
  public static final int DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

  /** The most certificates a chain may hold. */
  public static final int MAX_CHAIN = 10;

  // Exactly the fields of a Sigstore bundle that OMS signers write (keyless ones included).
  private static final Set<String> BUNDLE_FIELDS =
      Set.of("mediaType", "verificationMaterial", "dsseEnvelope");
  private static final Set<String> MATERIAL_FIELDS =
      Set.of(
          "publicKey",
          "x509CertificateChain",
          "certificate",
          "tlogEntries",
          "timestampVerificationData");
  private static final Set<String> PUBLIC_KEY_FIELDS = Set.of("hint", "rawBytes", "keyDetails");

  /** How a bundle's signer is identified. */
  public enum Method {
    /** A public key, named by a hint. */
    KEY,
    /** An X.509 certificate chain, leaf first, checked against trust anchors. */
    CERTIFICATE,
    /** Sigstore keyless: a Fulcio certificate and transparency log entries. */
    SIGSTORE
  }

  private final Path source;
  private final String mediaType;
  private final Method method;
  private final String keyHint;
  private final byte[] keyRawBytes;
  private final List<X509Certificate> certificates;
  private final Envelope envelope;
  private final byte[] raw;

  private OmsBundle(
      Path source,
      String mediaType,
      Method method,
      String keyHint,
      byte[] keyRawBytes,
      List<X509Certificate> certificates,
      Envelope envelope,
      byte[] raw) {
    this.source = source;
    this.mediaType = mediaType;
    this.method = method;
    this.keyHint = keyHint;
    this.keyRawBytes = keyRawBytes;
    this.certificates = List.copyOf(certificates);
    this.envelope = envelope;
    this.raw = raw;
  }

  /** A key-method bundle naming its key by {@code hint}. */
  static OmsBundle forKey(String hint, Envelope envelope) {
    return new OmsBundle(
        null, OmsFormat.BUNDLE_MEDIA_TYPE, Method.KEY, hint, null, List.of(), envelope, null);
  }

  /** A certificate-method bundle. */
  static OmsBundle forCertificates(List<X509Certificate> chain, Envelope envelope) {
    return new OmsBundle(
        null, OmsFormat.BUNDLE_MEDIA_TYPE, Method.CERTIFICATE, null, null, chain, envelope, null);
  }

  /** Reads a bundle file of at most {@link #DEFAULT_MAX_BYTES}. */
  public static OmsBundle read(Path file) throws ModelsealException {
    return read(file, DEFAULT_MAX_BYTES);
  }

  /**
   * Reads a bundle file of at most {@code maxBytes} bytes.
   *
   * @throws SignatureVerificationException when it is too large or malformed
   * @throws ModelIoException when it cannot be read
   */
  public static OmsBundle read(Path file, int maxBytes) throws ModelsealException {
    return parse(readBytes(file, maxBytes), file);
  }

  /**
   * Reads at most {@code maxBytes} bytes of a bundle file, refusing a larger one before reading it.
   *
   * @throws SignatureVerificationException when it is too large
   * @throws ModelIoException when it cannot be read
   */
  public static byte[] readBytes(Path file, int maxBytes) throws ModelsealException {
    byte[] bytes;
    try {
      if (RegularFiles.requireRegular(file) > maxBytes) {
        throw tooLarge(file, maxBytes);
      }
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(maxBytes + 1);
      }
    } catch (IOException e) {
      throw ModelIoException.of(file, e);
    }
    if (bytes.length > maxBytes) {
      throw tooLarge(file, maxBytes);
    }
    return bytes;
  }

  static SignatureVerificationException tooLarge(Path file, int max) {
    return new SignatureVerificationException(
        file, Failure.BUNDLE_TOO_LARGE, "signature bundle larger than " + max + " bytes");
  }

  /**
   * Parses bundle bytes.
   *
   * @param source names the bundle in messages (may be null)
   * @throws SignatureVerificationException naming the first problem
   */
  public static OmsBundle parse(byte[] bytes, Path source) throws SignatureVerificationException {
    if (bytes.length == 0) {
      throw fail(source, Failure.MALFORMED_BUNDLE, "empty signature bundle");
    }
    JsonNode root;
    try {
      root = StrictJson.parseObject(bytes);
    } catch (IllegalArgumentException e) {
      throw fail(source, Failure.MALFORMED_BUNDLE, "signature bundle is " + e.getMessage());
    }
    JsonNode mt = root.get("mediaType");
    if (mt == null || !mt.isTextual() || !OmsFormat.ACCEPTED_MEDIA_TYPES.contains(mt.textValue())) {
      throw fail(
          source,
          Failure.WRONG_MEDIA_TYPE,
          "mediaType is "
              + (mt == null ? "missing" : mt.toString())
              + ", not "
              + OmsFormat.BUNDLE_MEDIA_TYPE);
    }
    try {
      StrictJson.onlyFields(root, BUNDLE_FIELDS, "the bundle");
    } catch (IllegalArgumentException e) {
      throw fail(source, Failure.MALFORMED_BUNDLE, e.getMessage());
    }
    JsonNode vm = root.get("verificationMaterial");
    if (vm == null || vm.isNull()) {
      throw fail(
          source, Failure.MISSING_VERIFICATION_MATERIAL, "the bundle has no verificationMaterial");
    }
    JsonNode env = root.get("dsseEnvelope");
    if (env == null || env.isNull()) {
      String extra = root.has("messageSignature") ? " (it signs a message digest instead)" : "";
      throw fail(source, Failure.MISSING_ENVELOPE, "the bundle has no dsseEnvelope" + extra);
    }
    try {
      Envelope envelope = Envelope.read(env, "dsseEnvelope");
      if (!envelope.payloadType().equals(OmsFormat.PAYLOAD_TYPE)) {
        throw fail(
            source,
            Failure.WRONG_PAYLOAD_TYPE,
            "payloadType is '" + envelope.payloadType() + "', not " + OmsFormat.PAYLOAD_TYPE);
      }
      if (envelope.signatures().size() != 1) {
        throw fail(
            source,
            Failure.MALFORMED_BUNDLE,
            "the envelope must carry exactly one signature, not " + envelope.signatures().size());
      }
      return material(source, mt.textValue(), vm, envelope, bytes.clone());
    } catch (IllegalArgumentException e) {
      throw fail(source, Failure.MALFORMED_BUNDLE, e.getMessage());
    }
  }

  private static OmsBundle material(
      Path source, String mediaType, JsonNode vm, Envelope envelope, byte[] raw)
      throws SignatureVerificationException {
    if (!vm.isObject()) {
      throw new IllegalArgumentException("verificationMaterial must be an object");
    }
    StrictJson.onlyFields(vm, MATERIAL_FIELDS, "verificationMaterial");
    JsonNode tlog = vm.get("tlogEntries");
    if (tlog != null && !tlog.isNull() && !tlog.isArray()) {
      throw new IllegalArgumentException("verificationMaterial.tlogEntries must be an array");
    }
    int kinds =
        (vm.has("publicKey") ? 1 : 0)
            + (vm.has("x509CertificateChain") ? 1 : 0)
            + (vm.has("certificate") ? 1 : 0);
    if (kinds != 1) {
      throw new IllegalArgumentException(
          "verificationMaterial must hold exactly one of publicKey, x509CertificateChain and"
              + " certificate");
    }
    if (vm.has("publicKey")) {
      JsonNode pk = StrictJson.object(vm, "publicKey", "verificationMaterial");
      StrictJson.onlyFields(pk, PUBLIC_KEY_FIELDS, "verificationMaterial.publicKey");
      requireNoLogEntries(tlog);
      String hint = optionalText(pk, "hint", "verificationMaterial.publicKey");
      String rawKey = optionalText(pk, "rawBytes", "verificationMaterial.publicKey");
      byte[] rawBytes =
          rawKey == null ? null : base64(rawKey, "verificationMaterial.publicKey.rawBytes");
      return new OmsBundle(source, mediaType, Method.KEY, hint, rawBytes, List.of(), envelope, raw);
    }
    if (vm.has("x509CertificateChain")) {
      JsonNode chain = StrictJson.object(vm, "x509CertificateChain", "verificationMaterial");
      StrictJson.onlyFields(chain, Set.of("certificates"), "x509CertificateChain");
      requireNoLogEntries(tlog);
      JsonNode certs = StrictJson.array(chain, "certificates", "x509CertificateChain");
      if (certs.isEmpty() || certs.size() > MAX_CHAIN) {
        throw new IllegalArgumentException(
            "x509CertificateChain.certificates must hold 1 to " + MAX_CHAIN + " certificates");
      }
      List<X509Certificate> list = new ArrayList<>();
      int i = 0;
      for (JsonNode c : certs) {
        String w = "x509CertificateChain.certificates[" + i++ + "]";
        if (!c.isObject()) {
          throw new IllegalArgumentException(w + " must be an object");
        }
        StrictJson.onlyFields(c, Set.of("rawBytes"), w);
        byte[] der = base64(StrictJson.text(c, "rawBytes", w), w + ".rawBytes");
        try {
          list.add(PemFiles.certificate(der, source));
        } catch (InvalidInputException e) {
          throw new IllegalArgumentException(w + ": " + e.reason());
        }
      }
      return new OmsBundle(source, mediaType, Method.CERTIFICATE, null, null, list, envelope, raw);
    }
    if (tlog == null || !tlog.isArray() || tlog.isEmpty()) {
      throw fail(
          source,
          Failure.MISSING_TLOG_ENTRIES,
          "keyless (Sigstore) bundle without transparency log entries (tlogEntries)");
    }
    return new OmsBundle(source, mediaType, Method.SIGSTORE, null, null, List.of(), envelope, raw);
  }

  /** The file the bundle was read from, if any. */
  public Optional<Path> source() {
    return Optional.ofNullable(source);
  }

  /** The bytes the bundle was parsed from (null for a bundle made by the signer). */
  byte[] rawBytes() {
    return raw == null ? null : raw.clone();
  }

  /** The bundle's media type. */
  public String mediaType() {
    return mediaType;
  }

  /** How the signer is identified. */
  public Method method() {
    return method;
  }

  /** The key method's hint (hex SHA-256 of the key's PEM), when present. */
  public Optional<String> keyHint() {
    return Optional.ofNullable(keyHint);
  }

  /** The key method's legacy {@code rawBytes} (the key's PEM text), when present. */
  public Optional<byte[]> keyRawBytes() {
    return keyRawBytes == null ? Optional.empty() : Optional.of(keyRawBytes.clone());
  }

  /** The certificate method's chain, leaf first (empty for other methods). */
  public List<X509Certificate> certificates() {
    return certificates;
  }

  /** The DSSE envelope. */
  public Envelope envelope() {
    return envelope;
  }

  /** The bundle as JSON (two-space indent, {@code \n} line ends, trailing newline). */
  public byte[] toJson() {
    ObjectNode root = StrictJson.mapper().createObjectNode();
    root.put("mediaType", mediaType);
    ObjectNode vm = root.putObject("verificationMaterial");
    switch (method) {
      case KEY -> {
        ObjectNode pk = vm.putObject("publicKey");
        if (keyHint != null) {
          pk.put("hint", keyHint);
        }
        if (keyRawBytes != null) {
          pk.put("rawBytes", Base64.getEncoder().encodeToString(keyRawBytes));
        }
      }
      case CERTIFICATE -> {
        ArrayNode certs = vm.putObject("x509CertificateChain").putArray("certificates");
        for (X509Certificate c : certificates) {
          try {
            certs.addObject().put("rawBytes", Base64.getEncoder().encodeToString(c.getEncoded()));
          } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
          }
        }
      }
      case SIGSTORE -> throw new IllegalStateException("keyless bundles are not written here");
    }
    vm.putArray("tlogEntries");
    root.set("dsseEnvelope", envelope.toJson());
    DefaultPrettyPrinter pp =
        new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    try {
      return (StrictJson.mapper().writer(pp).writeValueAsString(root) + "\n")
          .getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes the bundle to {@code file} atomically (a temporary file renamed into place).
   *
   * @throws InvalidInputException when the bundle is larger than {@link #DEFAULT_MAX_BYTES}, which
   *     verification would refuse to read (nothing is written)
   */
  public void write(Path file) throws ModelsealException {
    byte[] json = toJson();
    if (json.length > DEFAULT_MAX_BYTES) {
      throw new InvalidInputException(
          file,
          "the signature would be "
              + json.length
              + " bytes, over the "
              + DEFAULT_MAX_BYTES
              + " that verification reads: refused");
    }
    AtomicFiles.write(file, json);
  }

  private static String optionalText(JsonNode n, String name, String where) {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException(where + "." + name + " must be a string");
    }
    return v.textValue();
  }

  private static byte[] base64(String text, String where) {
    return StrictJson.base64(text, false, where);
  }

  /**
   * The key and certificate methods verify no transparency log entry, so a bundle of theirs must
   * carry none: an unverified entry would be data that looks checked and is not.
   */
  private static void requireNoLogEntries(JsonNode tlog) {
    if (tlog != null && !tlog.isNull() && !tlog.isEmpty()) {
      throw new IllegalArgumentException(
          "verificationMaterial.tlogEntries must be empty for a key or certificate signature");
    }
  }

  private static SignatureVerificationException fail(Path source, Failure f, String reason) {
    return new SignatureVerificationException(source, f, reason);
  }
}
