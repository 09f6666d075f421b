package dev.modelseal.pkcs11;

import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelsealException;
import dev.modelseal.keys.SignatureAlgorithm;
import dev.modelseal.keys.SigningKey;
import dev.modelseal.keys.VerificationKey;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import sun.security.pkcs11.wrapper.CK_ATTRIBUTE;
import sun.security.pkcs11.wrapper.CK_C_INITIALIZE_ARGS;
import sun.security.pkcs11.wrapper.CK_MECHANISM;
import sun.security.pkcs11.wrapper.CK_SLOT_INFO;
import sun.security.pkcs11.wrapper.CK_TOKEN_INFO;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Constants;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/**
 * A private key in a PKCS#11 token, named by a {@link Pkcs11Uri}, logged in and ready to sign: EC
 * keys on P-256 or P-384 (ECDSA over the SHA-256 or SHA-384 digest, {@code CKM_ECDSA}, the token's
 * raw signature DER-encoded) and RSA keys of at least 2048 bits (PKCS#1 v1.5 over the SHA-256
 * {@code DigestInfo}, {@code CKM_RSA_PKCS}) — the schemes {@link SignatureAlgorithm} verifies. The
 * private key never leaves the token; only digests go in and signatures come out.
 *
 * <p>Through the JDK's own PKCS#11 layer (module {@code jdk.crypto.cryptoki}, which the SunPKCS11
 * provider is built on): the provider's key store cannot select a token by label and lists only
 * private keys that have a certificate on the token, which cloud KMS libraries and freshly
 * generated keys do not have. Needs {@code --add-exports
 * jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED} (the CLI's jar manifest carries it).
 *
 * <p>Checks before the PIN is tried: exactly one token matches the URI's token attributes; it is
 * initialized, its user PIN is initialized and not locked (so that a locked token is reported, and
 * no PIN attempt is spent on it). Errors are one line naming the token and the reason, never the
 * PIN. {@link #close()} logs out and closes the session.
 */
public final class Pkcs11Key implements AutoCloseable {
  private static final long CKR_PIN_INCORRECT = 0xA0;
  private static final long CKR_PIN_INVALID = 0xA1;
  private static final long CKR_PIN_LEN_RANGE = 0xA2;
  private static final long CKR_PIN_EXPIRED = 0xA3;
  private static final long CKR_PIN_LOCKED = 0xA4;
  private static final long CKR_USER_ALREADY_LOGGED_IN = 0x100;
  private static final long CKR_USER_PIN_NOT_INITIALIZED = 0x102;

  private final PKCS11 p11;
  private final long session;
  private final long handle;
  private final String token;
  private final VerificationKey tokenPublicKey;
  private final long keyType;
  private boolean loggedIn;
  private boolean closed;

  private Pkcs11Key(
      PKCS11 p11,
      long session,
      long handle,
      String token,
      VerificationKey tokenPublicKey,
      long keyType,
      boolean loggedIn) {
    this.p11 = p11;
    this.session = session;
    this.handle = handle;
    this.token = token;
    this.tokenPublicKey = tokenPublicKey;
    this.keyType = keyType;
    this.loggedIn = loggedIn;
  }

  /**
   * Loads the URI's module, selects its token, logs in with {@code pin} (may be null for a token
   * that needs none; the caller clears it) and finds the private key.
   *
   * @throws InvalidInputException naming what is wrong: the module, the token, the PIN, the key
   */
  public static Pkcs11Key open(Pkcs11Uri uri, char[] pin) throws ModelsealException {
    PKCS11 p11 = load(uri.modulePath());
    try {
      long slot = selectSlot(p11, uri);
      CK_TOKEN_INFO info = p11.C_GetTokenInfo(slot);
      String label = trimmed(info.label);
      checkFlags(info.flags, label);
      long session = p11.C_OpenSession(slot, PKCS11Constants.CKF_SERIAL_SESSION, null, null);
      boolean loggedIn = false;
      try {
        if ((info.flags & PKCS11Constants.CKF_LOGIN_REQUIRED) != 0) {
          login(p11, session, pin, label);
          loggedIn = true;
        }
        long handle = findPrivateKey(p11, session, uri, label);
        long type = p11Long(p11, session, handle, PKCS11Constants.CKA_KEY_TYPE);
        if (type != PKCS11Constants.CKK_EC && type != PKCS11Constants.CKK_RSA) {
          throw fail(label, "the key is neither an EC nor an RSA key");
        }
        VerificationKey pub = publicKey(p11, session, handle, type, label);
        return new Pkcs11Key(p11, session, handle, label, pub, type, loggedIn);
      } catch (ModelsealException | RuntimeException e) {
        closeQuietly(p11, session, loggedIn);
        throw e;
      }
    } catch (PKCS11Exception e) {
      throw new InvalidInputException(null, "PKCS#11: " + e.getMessage());
    }
  }

  /** The token's label. */
  public String tokenLabel() {
    return token;
  }

  /**
   * The signing key: its public key is {@code certificateKey} when given (a certificate's, for the
   * certificate method), else the token's public key object of the same id or label. A test
   * signature checks that they belong together.
   *
   * @throws InvalidInputException when there is no public key, the two disagree, or the test
   *     signature fails
   */
  public SigningKey signingKey(VerificationKey certificateKey) throws InvalidInputException {
    VerificationKey pub = certificateKey != null ? certificateKey : tokenPublicKey;
    if (pub == null) {
      throw fail(
          token,
          "no public key object for the key on the token; give its certificate (--certificate)");
    }
    if (certificateKey != null
        && tokenPublicKey != null
        && !certificateKey.sameKey(tokenPublicKey)) {
      throw fail(token, "the certificate is not for this key");
    }
    SignatureAlgorithm a = pub.algorithm();
    boolean fits =
        keyType == PKCS11Constants.CKK_EC
            ? a == SignatureAlgorithm.ECDSA_P256_SHA256 || a == SignatureAlgorithm.ECDSA_P384_SHA384
            : a == SignatureAlgorithm.RSA_PKCS1_SHA256;
    if (!fits) {
      throw fail(token, "unsupported key: EC P-256, EC P-384 or RSA (2048 bits or more) only");
    }
    return SigningKey.external(pub, this::sign);
  }

  private synchronized byte[] sign(SignatureAlgorithm a, byte[] data)
      throws GeneralSecurityException {
    if (closed) {
      throw new SignatureException("the token session is closed");
    }
    try {
      if (a == SignatureAlgorithm.RSA_PKCS1_SHA256) {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(data);
        byte[] info =
            new DigestInfo(
                    new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE),
                    hash)
                .getEncoded(ASN1Encoding.DER);
        p11.C_SignInit(session, new CK_MECHANISM(PKCS11Constants.CKM_RSA_PKCS), handle);
        return p11.C_Sign(session, info);
      }
      String digest = a == SignatureAlgorithm.ECDSA_P384_SHA384 ? "SHA-384" : "SHA-256";
      byte[] hash = MessageDigest.getInstance(digest).digest(data);
      p11.C_SignInit(session, new CK_MECHANISM(PKCS11Constants.CKM_ECDSA), handle);
      byte[] raw = p11.C_Sign(session, hash);
      if (raw.length == 0 || raw.length % 2 != 0 || raw.length > 132) {
        throw new SignatureException("the token returned a malformed ECDSA signature");
      }
      int n = raw.length / 2;
      BigInteger r = new BigInteger(1, Arrays.copyOfRange(raw, 0, n));
      BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, n, raw.length));
      return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)})
          .getEncoded(ASN1Encoding.DER);
    } catch (PKCS11Exception e) {
      throw new SignatureException("token " + token + ": " + e.getMessage());
    } catch (IOException e) {
      throw new SignatureException("cannot encode the signature: " + e.getMessage());
    }
  }

  /** Logs out and closes the session; signing keys from {@link #signingKey} stop working. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      closeQuietly(p11, session, loggedIn);
      loggedIn = false;
    }
  }

  private static PKCS11 load(String module) throws InvalidInputException {
    Path p = Path.of(module);
    if (!Files.isRegularFile(p)) {
      throw new InvalidInputException(p, "PKCS#11 module-path: no such library file");
    }
    CK_C_INITIALIZE_ARGS args = new CK_C_INITIALIZE_ARGS();
    args.flags = PKCS11Constants.CKF_OS_LOCKING_OK;
    try {
      return PKCS11.getInstance(module, "C_GetFunctionList", args, false);
    } catch (IOException | LinkageError e) {
      throw new InvalidInputException(p, "not a loadable PKCS#11 library: " + e.getMessage());
    } catch (PKCS11Exception e) {
      throw new InvalidInputException(p, "PKCS#11 library initialization: " + e.getMessage());
    }
  }

  private static long selectSlot(PKCS11 p11, Pkcs11Uri uri)
      throws PKCS11Exception, InvalidInputException {
    if (uri.attribute("library-manufacturer").isPresent()
        || uri.attribute("library-description").isPresent()
        || uri.attribute("library-version").isPresent()) {
      var info = p11.C_GetInfo();
      if (!matches(uri, "library-manufacturer", info.manufacturerID)
          || !matches(uri, "library-description", info.libraryDescription)
          || (uri.attribute("library-version").isPresent()
              && !uri.attribute("library-version")
                  .get()
                  .equals(info.libraryVersion.major + "." + info.libraryVersion.minor)
              && !uri.attribute("library-version").get().equals("" + info.libraryVersion.major))) {
        throw new InvalidInputException(null, "PKCS#11: the library does not match " + uri);
      }
    }
    List<Long> found = new ArrayList<>();
    for (long slot : p11.C_GetSlotList(true)) {
      if (uri.attribute("slot-id").isPresent()
          && !uri.attribute("slot-id").get().equals(Long.toUnsignedString(slot))) {
        continue;
      }
      CK_SLOT_INFO si = p11.C_GetSlotInfo(slot);
      if (!matches(uri, "slot-description", si.slotDescription)
          || !matches(uri, "slot-manufacturer", si.manufacturerID)) {
        continue;
      }
      CK_TOKEN_INFO ti = p11.C_GetTokenInfo(slot);
      if (matches(uri, "token", ti.label)
          && matches(uri, "manufacturer", ti.manufacturerID)
          && matches(uri, "model", ti.model)
          && matches(uri, "serial", ti.serialNumber)) {
        found.add(slot);
      }
    }
    if (found.isEmpty()) {
      throw new InvalidInputException(
          null, "PKCS#11: no token matches " + describeToken(uri) + " in " + uri.modulePath());
    }
    if (found.size() > 1) {
      throw new InvalidInputException(
          null,
          "PKCS#11: "
              + found.size()
              + " tokens match "
              + describeToken(uri)
              + "; add serial= or slot-id= to the URI");
    }
    return found.get(0);
  }

  private static String describeToken(Pkcs11Uri uri) {
    return uri.attribute("token").map(t -> "token '" + t + "'").orElse("the URI");
  }

  private static boolean matches(Pkcs11Uri uri, String attribute, char[] field) {
    var want = uri.attribute(attribute);
    return want.isEmpty() || want.get().equals(trimmed(field));
  }

  /** A fixed-width, blank-padded PKCS#11 text field without its padding. */
  private static String trimmed(char[] field) {
    if (field == null) {
      return "";
    }
    int end = field.length;
    while (end > 0 && (field[end - 1] == ' ' || field[end - 1] == '\0')) {
      end--;
    }
    // The JDK maps each byte to one char; re-read them as the UTF-8 the standard says they are.
    byte[] b = new byte[end];
    for (int i = 0; i < end; i++) {
      b[i] = (byte) field[i];
    }
    return new String(b, StandardCharsets.UTF_8);
  }

  private static void checkFlags(long flags, String label) throws InvalidInputException {
    if ((flags & PKCS11Constants.CKF_TOKEN_INITIALIZED) == 0) {
      throw fail(label, "the token is not initialized");
    }
    if ((flags & PKCS11Constants.CKF_LOGIN_REQUIRED) != 0) {
      if ((flags & PKCS11Constants.CKF_USER_PIN_LOCKED) != 0) {
        throw fail(label, "the token's user PIN is locked (too many wrong PINs)");
      }
      if ((flags & PKCS11Constants.CKF_USER_PIN_INITIALIZED) == 0) {
        throw fail(label, "the token is locked: its user PIN is not initialized");
      }
    }
  }

  private static void login(PKCS11 p11, long session, char[] pin, String label)
      throws InvalidInputException, PKCS11Exception {
    if (pin == null) {
      throw fail(
          label,
          "the token needs a PIN: add pin-source=file:PATH to the URI or set "
              + Pkcs11Pin.ENVIRONMENT_VARIABLE);
    }
    try {
      p11.C_Login(session, PKCS11Constants.CKU_USER, pin);
    } catch (PKCS11Exception e) {
      long code = e.getErrorCode();
      if (code == CKR_USER_ALREADY_LOGGED_IN) {
        return;
      }
      if (code == CKR_PIN_INCORRECT || code == CKR_PIN_INVALID || code == CKR_PIN_LEN_RANGE) {
        throw fail(label, "wrong PIN");
      }
      if (code == CKR_PIN_LOCKED) {
        throw fail(label, "the token's user PIN is locked (too many wrong PINs)");
      }
      if (code == CKR_PIN_EXPIRED) {
        throw fail(label, "the PIN has expired and must be changed");
      }
      if (code == CKR_USER_PIN_NOT_INITIALIZED) {
        throw fail(label, "the token is locked: its user PIN is not initialized");
      }
      throw fail(label, "login refused: " + e.getMessage());
    }
  }

  private static long findPrivateKey(PKCS11 p11, long session, Pkcs11Uri uri, String label)
      throws PKCS11Exception, InvalidInputException {
    List<CK_ATTRIBUTE> t = new ArrayList<>();
    t.add(new CK_ATTRIBUTE(PKCS11Constants.CKA_CLASS, PKCS11Constants.CKO_PRIVATE_KEY));
    uri.attribute("object")
        .ifPresent(
            o ->
                t.add(
                    new CK_ATTRIBUTE(
                        PKCS11Constants.CKA_LABEL, o.getBytes(StandardCharsets.UTF_8))));
    uri.id().ifPresent(id -> t.add(new CK_ATTRIBUTE(PKCS11Constants.CKA_ID, id)));
    long[] found = find(p11, session, t.toArray(new CK_ATTRIBUTE[0]));
    String what = uri.attribute("object").map(o -> "'" + o + "'").orElse("with that id");
    if (found.length == 0) {
      throw fail(label, "no private key " + what + " on the token");
    }
    if (found.length > 1) {
      throw fail(label, "several private keys " + what + " on the token; add id= to the URI");
    }
    return found[0];
  }

  private static long[] find(PKCS11 p11, long session, CK_ATTRIBUTE[] template)
      throws PKCS11Exception {
    p11.C_FindObjectsInit(session, template);
    try {
      return p11.C_FindObjects(session, 2);
    } finally {
      p11.C_FindObjectsFinal(session);
    }
  }

  private static VerificationKey publicKey(
      PKCS11 p11, long session, long privateHandle, long type, String label)
      throws PKCS11Exception, InvalidInputException {
    byte[] id = bytes(p11, session, privateHandle, PKCS11Constants.CKA_ID);
    byte[] lbl = bytes(p11, session, privateHandle, PKCS11Constants.CKA_LABEL);
    List<CK_ATTRIBUTE> t = new ArrayList<>();
    t.add(new CK_ATTRIBUTE(PKCS11Constants.CKA_CLASS, PKCS11Constants.CKO_PUBLIC_KEY));
    if (id != null && id.length > 0) {
      t.add(new CK_ATTRIBUTE(PKCS11Constants.CKA_ID, id));
    } else if (lbl != null && lbl.length > 0) {
      t.add(new CK_ATTRIBUTE(PKCS11Constants.CKA_LABEL, lbl));
    } else {
      return null;
    }
    long[] found = find(p11, session, t.toArray(new CK_ATTRIBUTE[0]));
    if (found.length != 1) {
      return null;
    }
    long h = found[0];
    try {
      PublicKey key;
      if (type == PKCS11Constants.CKK_EC) {
        byte[] params = bytes(p11, session, h, PKCS11Constants.CKA_EC_PARAMS);
        byte[] point = bytes(p11, session, h, PKCS11Constants.CKA_EC_POINT);
        if (params == null || point == null || params.length > 1024 || point.length > 1024) {
          return null;
        }
        byte[] q = point;
        if (point.length > 2 && point[0] == 0x04 && (point[1] & 0xff) == point.length - 2) {
          // The standard's DER OCTET STRING around the point (some tokens give it bare).
          q = ASN1OctetString.getInstance(point).getOctets();
        }
        SubjectPublicKeyInfo spki =
            new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(
                    X9ObjectIdentifiers.id_ecPublicKey, ASN1Primitive.fromByteArray(params)),
                q);
        key =
            KeyFactory.getInstance("EC")
                .generatePublic(new X509EncodedKeySpec(spki.getEncoded(ASN1Encoding.DER)));
      } else {
        byte[] n = bytes(p11, session, h, PKCS11Constants.CKA_MODULUS);
        byte[] e = bytes(p11, session, h, PKCS11Constants.CKA_PUBLIC_EXPONENT);
        if (n == null || e == null || n.length > 2048 || e.length > 64) {
          return null;
        }
        key =
            KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(new BigInteger(1, n), new BigInteger(1, e)));
      }
      return VerificationKey.of(key);
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw fail(label, "the token's public key is malformed: " + e.getMessage());
    } catch (InvalidInputException e) {
      throw fail(label, "the token's key: " + e.reason());
    }
  }

  private static byte[] bytes(PKCS11 p11, long session, long handle, long attribute)
      throws PKCS11Exception {
    CK_ATTRIBUTE[] a = {new CK_ATTRIBUTE(attribute)};
    try {
      p11.C_GetAttributeValue(session, handle, a);
    } catch (PKCS11Exception e) {
      return null;
    }
    return a[0].pValue instanceof byte[] b ? b : null;
  }

  private static long p11Long(PKCS11 p11, long session, long handle, long attribute)
      throws PKCS11Exception {
    CK_ATTRIBUTE[] a = {new CK_ATTRIBUTE(attribute)};
    p11.C_GetAttributeValue(session, handle, a);
    return a[0].getLong();
  }

  private static void closeQuietly(PKCS11 p11, long session, boolean loggedIn) {
    try {
      if (loggedIn) {
        p11.C_Logout(session);
      }
    } catch (PKCS11Exception e) {
      // closing the session below ends the login as well
    }
    try {
      p11.C_CloseSession(session);
    } catch (PKCS11Exception e) {
      // nothing more to release
    }
  }

  private static InvalidInputException fail(String token, String reason) {
    return new InvalidInputException(null, "PKCS#11 token '" + token + "': " + reason);
  }
}
