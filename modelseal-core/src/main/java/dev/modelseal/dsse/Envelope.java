package dev.modelseal.dsse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.internal.StrictJson;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A DSSE envelope: a payload type, the raw payload bytes and one or more signatures.
 *
 * <p>Immutable. The payload is kept as the exact bytes decoded from base64, so a verifier checks
 * the signature over what the signer signed, never over a re-serialization. {@link #pae()} gives
 * the bytes to verify. Reading checks structure only (types, base64, at least one signature); it
 * does not verify anything.
 */
public final class Envelope {
  private static final java.util.Set<String> ENVELOPE_FIELDS =
      java.util.Set.of("payload", "payloadType", "signatures");
  private static final java.util.Set<String> SIGNATURE_FIELDS = java.util.Set.of("sig", "keyid");

  private final String payloadType;
  private final byte[] payload;
  private final List<Signature> signatures;

  private Envelope(String payloadType, byte[] payload, List<Signature> signatures) {
    this.payloadType = payloadType;
    this.payload = payload;
    this.signatures = List.copyOf(signatures);
  }

  /**
   * An envelope.
   *
   * @throws IllegalArgumentException when there is no signature
   */
  public static Envelope of(String payloadType, byte[] payload, List<Signature> signatures) {
    Objects.requireNonNull(payloadType, "payloadType");
    Objects.requireNonNull(payload, "payload");
    if (signatures.isEmpty()) {
      throw new IllegalArgumentException("an envelope needs a signature");
    }
    return new Envelope(payloadType, payload.clone(), signatures);
  }

  /** The payload type. */
  public String payloadType() {
    return payloadType;
  }

  /** A copy of the raw payload bytes, exactly as signed. */
  public byte[] payload() {
    return payload.clone();
  }

  /** The payload's length in bytes. */
  public int payloadLength() {
    return payload.length;
  }

  /** The signatures, in envelope order. */
  public List<Signature> signatures() {
    return signatures;
  }

  /** The pre-authentication encoding of this envelope's type and payload: the signed bytes. */
  public byte[] pae() {
    return Pae.encode(payloadType, payload);
  }

  /**
   * Reads an envelope object ({@code payload}, {@code payloadType}, {@code signatures}; no other
   * field, and a signature has only {@code sig} and {@code keyid}). Standard and URL-safe base64
   * are both accepted, as DSSE allows, in their canonical form only. A signature's {@code keyid}
   * may be absent, null or a string.
   *
   * @param node the JSON object
   * @param where the object's path, for messages
   * @throws IllegalArgumentException naming the offending field
   */
  public static Envelope read(JsonNode node, String where) {
    // Strict: exactly DSSE's fields, canonical base64 (one encoding per byte string).
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(where + " must be an object");
    }
    StrictJson.onlyFields(node, ENVELOPE_FIELDS, where);
    String type = StrictJson.text(node, "payloadType", where);
    byte[] payload = base64(StrictJson.text(node, "payload", where), where + ".payload");
    if (payload.length == 0) {
      throw new IllegalArgumentException(where + ".payload is empty");
    }
    JsonNode sigs = StrictJson.array(node, "signatures", where);
    List<Signature> out = new ArrayList<>();
    int i = 0;
    for (JsonNode s : sigs) {
      String w = where + ".signatures[" + i++ + "]";
      if (!s.isObject()) {
        throw new IllegalArgumentException(w + " must be an object");
      }
      StrictJson.onlyFields(s, SIGNATURE_FIELDS, w);
      byte[] sig = base64(StrictJson.text(s, "sig", w), w + ".sig");
      if (sig.length == 0) {
        throw new IllegalArgumentException(w + ".sig is empty");
      }
      JsonNode k = s.get("keyid");
      String keyId = null;
      if (k != null && !k.isNull()) {
        if (!k.isTextual()) {
          throw new IllegalArgumentException(w + ".keyid must be a string");
        }
        keyId = k.textValue();
      }
      out.add(Signature.of(sig, keyId));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(where + ".signatures is empty");
    }
    return new Envelope(type, payload, out);
  }

  /** This envelope as JSON: standard base64, {@code keyid} written as given (empty when none). */
  public ObjectNode toJson() {
    ObjectNode n = StrictJson.mapper().createObjectNode();
    n.put("payload", Base64.getEncoder().encodeToString(payload));
    n.put("payloadType", payloadType);
    ArrayNode a = n.putArray("signatures");
    for (Signature s : signatures) {
      ObjectNode o = a.addObject();
      o.put("sig", Base64.getEncoder().encodeToString(s.sig()));
      o.put("keyid", s.keyId().orElse(""));
    }
    return n;
  }

  private static byte[] base64(String text, String where) {
    return StrictJson.base64(text, true, where);
  }
}
