package dev.modelseal.keys;

import java.util.Arrays;

/**
 * The public point that an unencrypted PKCS#8 EC private key carries inside it (RFC 5915's optional
 * {@code publicKey [1]} field, which OpenSSL, Python's {@code cryptography} and modelseal's own
 * {@code keygen} always write), re-wrapped as the DER of the matching SubjectPublicKeyInfo.
 *
 * <p>Why by hand: the JDK reads the private key but offers no way to derive its public key, and
 * Bouncy Castle's parser, which does, sits in signed jars whose verification costs about a tenth of
 * a second at every start of the command-line tool. The walk is strict and bounded (definite
 * lengths of at most four bytes, every length inside its parent, nothing trailing), and its result
 * is never trusted on its own: {@link SigningKey#of} makes and verifies a test signature with it,
 * so a wrong or forged point can only make the caller fall back to deriving the key with Bouncy
 * Castle.
 *
 * <p>Guarantee: returns null for anything that is not exactly that shape; never throws.
 */
final class EcPublicPoint {
  private static final int SEQUENCE = 0x30;
  private static final int INTEGER = 0x02;
  private static final int OCTET_STRING = 0x04;
  private static final int BIT_STRING = 0x03;
  private static final int OID = 0x06;
  private static final int CONTEXT_0 = 0xa0;
  private static final int CONTEXT_1 = 0xa1;

  /** The DER of id-ecPublicKey (1.2.840.10045.2.1), tag and length included. */
  private static final byte[] EC_PUBLIC_KEY = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  private final byte[] der;
  private int pos;

  private EcPublicPoint(byte[] der) {
    this.der = der;
  }

  /**
   * The SubjectPublicKeyInfo DER for the public point embedded in {@code pkcs8}, or null when the
   * key is not an EC PKCS#8 key with a named curve and an embedded point.
   */
  static byte[] subjectPublicKeyInfo(byte[] pkcs8) {
    try {
      return new EcPublicPoint(pkcs8).read();
    } catch (RuntimeException e) {
      return null; // malformed: index or length out of range
    }
  }

  private byte[] read() {
    int end = enter(SEQUENCE); // PrivateKeyInfo
    if (end != der.length) {
      return null;
    }
    skip(INTEGER); // version
    int algStart = pos;
    int algEnd = enter(SEQUENCE); // AlgorithmIdentifier
    if (!Arrays.equals(
        der, pos, pos + EC_PUBLIC_KEY.length, EC_PUBLIC_KEY, 0, EC_PUBLIC_KEY.length)) {
      return null;
    }
    pos += EC_PUBLIC_KEY.length;
    skip(OID); // the named curve
    if (pos != algEnd) {
      return null;
    }
    byte[] algorithm = Arrays.copyOfRange(der, algStart, algEnd);
    int keyEnd = enter(OCTET_STRING); // privateKey
    int ecEnd = enter(SEQUENCE); // ECPrivateKey
    if (ecEnd != keyEnd) {
      return null;
    }
    skip(INTEGER); // version 1
    skip(OCTET_STRING); // the private scalar
    if (pos < ecEnd && (der[pos] & 0xff) == CONTEXT_0) {
      skip(CONTEXT_0); // parameters (the curve again)
    }
    if (pos >= ecEnd || (der[pos] & 0xff) != CONTEXT_1) {
      return null; // no embedded public key
    }
    int pubEnd = enter(CONTEXT_1);
    int bitsStart = pos;
    int bitsEnd = enter(BIT_STRING);
    if (bitsEnd != pubEnd || pubEnd != ecEnd || bitsEnd - pos < 2 || der[pos] != 0) {
      return null;
    }
    if (der[pos + 1] != 0x04) {
      return null; // only the uncompressed form
    }
    byte[] bitString = Arrays.copyOfRange(der, bitsStart, bitsEnd);
    return sequence(algorithm, bitString);
  }

  /** Reads a tag and its length; returns the end of the contents, leaving pos at their start. */
  private int enter(int tag) {
    if ((der[pos] & 0xff) != tag) {
      throw new IllegalArgumentException("unexpected tag");
    }
    pos++;
    int first = der[pos++] & 0xff;
    int length;
    if (first < 0x80) {
      length = first;
    } else {
      int n = first & 0x7f;
      if (n == 0 || n > 4) {
        throw new IllegalArgumentException("unsupported length");
      }
      length = 0;
      for (int i = 0; i < n; i++) {
        length = (length << 8) | (der[pos++] & 0xff);
      }
      if (length < 0) {
        throw new IllegalArgumentException("length out of range");
      }
    }
    if (length > der.length - pos) {
      throw new IllegalArgumentException("length past the end");
    }
    return pos + length;
  }

  private void skip(int tag) {
    pos = enter(tag);
  }

  private static byte[] sequence(byte[] a, byte[] b) {
    int n = a.length + b.length;
    byte[] header = lengthOctets(n);
    byte[] out = new byte[1 + header.length + n];
    out[0] = SEQUENCE;
    System.arraycopy(header, 0, out, 1, header.length);
    System.arraycopy(a, 0, out, 1 + header.length, a.length);
    System.arraycopy(b, 0, out, 1 + header.length + a.length, b.length);
    return out;
  }

  private static byte[] lengthOctets(int n) {
    if (n < 0x80) {
      return new byte[] {(byte) n};
    }
    if (n < 0x100) {
      return new byte[] {(byte) 0x81, (byte) n};
    }
    return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
  }
}
