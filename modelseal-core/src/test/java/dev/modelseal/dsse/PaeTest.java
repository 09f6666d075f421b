package dev.modelseal.dsse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PaeTest {
  @Test
  void encode_dsseSpecExample_matches() {
    byte[] pae =
        Pae.encode("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(pae, StandardCharsets.UTF_8))
        .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  }

  @Test
  void encode_nonAsciiPayload_countsBytesNotChars() {
    byte[] payload = "{\"name\":\"modèle/权重.bin\"}".getBytes(StandardCharsets.UTF_8);
    byte[] pae = Pae.encode("application/vnd.in-toto+json", payload);
    String prefix = "DSSEv1 28 application/vnd.in-toto+json " + payload.length + " ";
    assertThat(payload.length).isGreaterThan("{\"name\":\"modèle/权重.bin\"}".length());
    assertThat(new String(pae, 0, prefix.length(), StandardCharsets.US_ASCII)).isEqualTo(prefix);
    assertThat(pae).endsWith(payload);
    assertThat(pae).hasSize(prefix.length() + payload.length);
  }

  @Test
  void encodeLegacyPython_escapesLikePythonRepr() {
    byte[] payload = {'{', '"', 'a', '\'', '\\', '\n', '\t', '\r', 0x01, (byte) 0xc3, '}'};
    String pae = new String(Pae.encodeLegacyPython("t", payload), StandardCharsets.ISO_8859_1);
    assertThat(pae).isEqualTo("DSSEV1 1 t 11 b'{\"a\\'\\\\\\n\\t\\r\\x01\\xc3}'");
  }

  @Test
  void encodeLegacyPython_onlySingleQuotes_usesDoubleQuotes() {
    String pae =
        new String(
            Pae.encodeLegacyPython("t", "it's".getBytes(StandardCharsets.US_ASCII)),
            StandardCharsets.US_ASCII);
    assertThat(pae).isEqualTo("DSSEV1 1 t 4 b\"it's\"");
  }
}
