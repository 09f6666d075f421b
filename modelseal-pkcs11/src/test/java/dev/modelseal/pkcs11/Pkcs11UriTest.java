package dev.modelseal.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Pkcs11UriTest {
  private static final String LIB = "module-path=/usr/lib/softhsm/libsofthsm2.so";

  @Test
  void parsesAndPercentDecodes() throws Exception {
    Pkcs11Uri u =
        Pkcs11Uri.parse(
            "pkcs11:token=My%20Token;object=release%2Fkey;id=%01%ff?"
                + LIB
                + "&pin-source=file:/p");
    assertThat(u.attribute("token")).hasValue("My Token");
    assertThat(u.attribute("object")).hasValue("release/key");
    assertThat(u.id()).hasValue(new byte[] {1, (byte) 0xff});
    assertThat(u.modulePath()).isEqualTo("/usr/lib/softhsm/libsofthsm2.so");
    assertThat(u.hasPinValue()).isFalse();
  }

  @Test
  void refusesWhatTheRfcDoesNotAllow() {
    for (String bad :
        new String[] {
          "pkcs12:object=k?" + LIB,
          "pkcs11:object=k",
          "pkcs11:object=k;object=l?" + LIB,
          "pkcs11:colour=blue;object=k?" + LIB,
          "pkcs11:x-vendor=1;object=k?" + LIB,
          "pkcs11:object=a b?" + LIB,
          "pkcs11:object=a%2?" + LIB,
          "pkcs11:object=a%zz?" + LIB,
          "pkcs11:object=%ff%fe?" + LIB,
          "pkcs11:token=T?" + LIB,
          "pkcs11:object=k;type=cert?" + LIB,
          "pkcs11:object=k;slot-id=-1?" + LIB,
          "pkcs11:object=k?" + LIB + "&pin-source=/etc/pin",
          "pkcs11:object=k?" + LIB + "&pin-source=file:/p&pin-value=1",
          "pkcs11:object=k?module-name=softhsm2",
          "pkcs11:object=k?" + LIB + "&module-path=/other",
          "pkcs11:object",
          "pkcs11:object=k?" + "a".repeat(5000),
        }) {
      assertThatThrownBy(() -> Pkcs11Uri.parse(bad))
          .as(bad)
          .isInstanceOf(InvalidInputException.class)
          .hasMessageStartingWith("PKCS#11 URI: ");
    }
  }

  @Test
  void neverShowsThePinValue() throws Exception {
    Pkcs11Uri u = Pkcs11Uri.parse("pkcs11:object=k?" + LIB + "&pin-value=s3cr%65t");
    assertThat(u.hasPinValue()).isTrue();
    assertThat(u.toString()).doesNotContain("s3cr").contains("pin-value=***");
    assertThat(Pkcs11Pin.resolve(u, Map.of())).containsExactly("s3cret".toCharArray());
    assertThatThrownBy(() -> u.attribute("pin-value")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pinFromFileThenUriThenEnvironment(@TempDir Path tmp) throws Exception {
    Path pin = tmp.resolve("pin");
    Files.writeString(pin, "from-file\n");
    Pkcs11Uri file = Pkcs11Uri.parse("pkcs11:object=k?" + LIB + "&pin-source=file:" + pin);
    Map<String, String> env = Map.of(Pkcs11Pin.ENVIRONMENT_VARIABLE, "from-env");
    assertThat(Pkcs11Pin.resolve(file, env)).containsExactly("from-file".toCharArray());
    Pkcs11Uri triple = Pkcs11Uri.parse("pkcs11:object=k?" + LIB + "&pin-source=file://" + pin);
    assertThat(Pkcs11Pin.resolve(triple, env)).containsExactly("from-file".toCharArray());
    Pkcs11Uri none = Pkcs11Uri.parse("pkcs11:object=k?" + LIB);
    assertThat(Pkcs11Pin.resolve(none, env)).containsExactly("from-env".toCharArray());
    assertThat(Pkcs11Pin.resolve(none, Map.of())).isNull();
    Pkcs11Uri remote = Pkcs11Uri.parse("pkcs11:object=k?" + LIB + "&pin-source=file://host/p");
    assertThatThrownBy(() -> Pkcs11Pin.resolve(remote, env))
        .isInstanceOf(InvalidInputException.class);
    Pkcs11Uri missing =
        Pkcs11Uri.parse("pkcs11:object=k?" + LIB + "&pin-source=file:" + tmp.resolve("nope"));
    assertThatThrownBy(() -> Pkcs11Pin.resolve(missing, env)).hasMessageContaining("nope");
  }
}
