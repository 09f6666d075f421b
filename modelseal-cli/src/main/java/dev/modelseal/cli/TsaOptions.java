package dev.modelseal.cli;

import dev.modelseal.ModelsealException;
import dev.modelseal.keys.PemFiles;
import dev.modelseal.oms.OmsSigner;
import dev.modelseal.oms.OmsVerifier;
import dev.modelseal.timestamp.TimestampAuthority;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * RFC 3161 timestamp options: {@link Sign} ({@code --tsa-url}, {@code --tsa-certificate}) for
 * {@code sign}, {@link Verify} ({@code --tsa-trust-anchor}) for {@code verify}. They only turn the
 * options into the library's {@link TimestampAuthority} and {@link OmsVerifier#requiringTimestamp}.
 */
final class TsaOptions {
  private TsaOptions() {}

  /** {@code sign --tsa-url URL [--tsa-certificate PEM]}. */
  static final class Sign {
    @Option(
        names = "--tsa-url",
        paramLabel = "URL",
        description =
            "Add an RFC 3161 timestamp over the signature from this time-stamping authority.")
    String url;

    @Option(
        names = "--tsa-certificate",
        paramLabel = "PEM",
        description = "With --tsa-url: check the TSA's token against this root before using it.")
    Path certificate;

    OmsSigner apply(OmsSigner signer, CommandLine cl) throws ModelsealException {
      if (url == null) {
        if (certificate != null) {
          throw new ParameterException(cl, "--tsa-certificate needs --tsa-url");
        }
        return signer;
      }
      TimestampAuthority tsa;
      try {
        tsa = TimestampAuthority.at(new URI(url));
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new ParameterException(cl, "--tsa-url: not an http(s) URL: " + url);
      }
      if (certificate != null) {
        tsa = tsa.checkedAgainst(PemFiles.readCertificates(certificate));
      }
      return signer.withTimestamps(tsa);
    }
  }

  /** {@code verify --tsa-trust-anchor PEM}. */
  static final class Verify {
    @Option(
        names = "--tsa-trust-anchor",
        paramLabel = "PEM",
        description =
            "Require an RFC 3161 timestamp from a TSA under this root (repeatable); certificates"
                + " are then checked at the timestamp's time.")
    List<Path> anchors = new ArrayList<>();

    OmsVerifier apply(OmsVerifier v, String at, CommandLine cl) throws ModelsealException {
      if (anchors.isEmpty()) {
        return v;
      }
      if (at != null) {
        throw new ParameterException(cl, "--tsa-trust-anchor and --at exclude each other");
      }
      List<X509Certificate> certs = new ArrayList<>();
      for (Path a : anchors) {
        certs.addAll(PemFiles.readCertificates(a));
      }
      try {
        return v.requiringTimestamp(certs);
      } catch (IllegalStateException e) {
        throw new ParameterException(cl, "--tsa-trust-anchor: " + e.getMessage());
      }
    }
  }
}
