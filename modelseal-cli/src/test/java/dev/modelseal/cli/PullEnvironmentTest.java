package dev.modelseal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which {@code pull} arguments the storage initializer's environment variables become. */
class PullEnvironmentTest {
  @Test
  void trustVariablesBecomeOneTokenEach() {
    assertThat(
            PullEnvironment.arguments(
                Map.of(
                    "MODELSEAL_TRUST_ANCHOR", "/a.pem::/b.pem:",
                    "MODELSEAL_SIGNATURE", "-odd.sig",
                    "MODELSEAL_PUBLIC_KEY", ""),
                n -> false,
                false))
        .containsExactly("--trust-anchor=/a.pem", "--trust-anchor=/b.pem", "--signature=-odd.sig");
  }

  @Test
  void anyTrustOptionOnTheCommandLineTurnsEveryTrustVariableOff() {
    Map<String, String> env =
        Map.of(
            "MODELSEAL_PUBLIC_KEY", "/k.pub",
            "MODELSEAL_DIGEST", "pin:v1:sha256:00",
            "MODELSEAL_PLAIN_HTTP", "true",
            "MODELSEAL_SCAN", "true");
    assertThat(PullEnvironment.arguments(env, Set.of("--lock")::contains, false))
        .containsExactly("--scan", "--plain-http");
    assertThat(PullEnvironment.arguments(env, Set.of("--scan")::contains, false))
        .containsExactlyInAnyOrder(
            "--public-key=/k.pub", "--digest=pin:v1:sha256:00", "--plain-http");
  }

  @Test
  void kserveS3VariablesGiveAnEndpoint() {
    assertThat(
            PullEnvironment.arguments(
                Map.of("S3_ENDPOINT", "minio.minio:9000", "S3_USE_HTTPS", "0"), n -> false, false))
        .containsExactly("--endpoint=http://minio.minio:9000", "--path-style");
    assertThat(PullEnvironment.arguments(Map.of("S3_ENDPOINT", "s3.internal"), n -> false, false))
        .containsExactly("--endpoint=https://s3.internal", "--path-style");
    assertThat(
            PullEnvironment.arguments(
                Map.of("S3_ENDPOINT", "ignored:1", "MODELSEAL_S3_ENDPOINT", "http://own:2"),
                Set.of("--path-style")::contains,
                false))
        .containsExactly("--endpoint=http://own:2");
  }

  @Test
  void aPolicyFileIsPassedOnOrRefusedNeverDropped() {
    Map<String, String> env = Map.of("MODELSEAL_POLICY_FILE", "/etc/modelseal/policy.json");
    assertThat(PullEnvironment.arguments(env, n -> false, true))
        .containsExactly("--policy=/etc/modelseal/policy.json");
    assertThatThrownBy(() -> PullEnvironment.arguments(env, n -> false, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MODELSEAL_POLICY_FILE is set");
    assertThat(PullEnvironment.arguments(Map.of("MODELSEAL_SCAN", "false"), n -> false, false))
        .isEmpty();
  }
}
