package dev.modelseal.oms;

import java.util.List;

/** The fixed strings of the OMS v1.0 format. */
public final class OmsFormat {
  /** The Sigstore bundle media type OMS writes. */
  public static final String BUNDLE_MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";

  /** Bundle media types accepted when reading (Sigstore bundle v0.2 and v0.3 spellings). */
  public static final List<String> ACCEPTED_MEDIA_TYPES =
      List.of(
          BUNDLE_MEDIA_TYPE,
          "application/vnd.dev.sigstore.bundle+json;version=0.3",
          "application/vnd.dev.sigstore.bundle+json;version=0.2");

  /** The DSSE payload type of an in-toto statement. */
  public static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";

  /** The in-toto Statement v1 type. */
  public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";

  /** The OMS v1.0 predicate type. */
  public static final String PREDICATE_TYPE = "https://model_signing/signature/v1.0";

  /** The predicate type of {@code model_signing} 0.2.x bundles (one subject per file). */
  public static final String LEGACY_PREDICATE_TYPE = "https://model_signing/Digests/v0.1";

  /** The default signature file name inside a model directory. */
  public static final String DEFAULT_SIGNATURE_NAME = "model.sig";

  private OmsFormat() {}
}
