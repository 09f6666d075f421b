package dev.modelseal.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.ModelIoException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** References, challenges, manifests, indexes and credential files: parsed strictly. */
class ParsingTest {
  static final String D = "sha256:" + "ab".repeat(32);

  @Test
  void references() {
    OciReference r = OciReference.parse("oci://Registry.example.com:5000/team/resnet:v3.1");
    assertThat(r.registry()).isEqualTo("registry.example.com:5000");
    assertThat(r.repository()).isEqualTo("team/resnet");
    assertThat(r.tag()).contains("v3.1");
    assertThat(r.modelName()).isEqualTo("resnet");
    assertThat(OciReference.parse("oci://h/m").tag()).contains("latest");
    OciReference d = OciReference.parse("oci://h/team/m@" + D);
    assertThat(d.digest()).contains(D);
    assertThat(d.toString()).isEqualTo("oci://h/team/m@" + D);
    for (String bad :
        new String[] {
          "oci://h",
          "oci:///m",
          "oci://h/M",
          "oci://h/m/../x",
          "oci://h/m//x",
          "oci://h/m:-tag",
          "oci://h/m:" + "t".repeat(129),
          "oci://h/m@sha256:abc",
          "oci://h/m@sha512:" + "ab".repeat(64),
          "oci://h:99999/m",
          "oci://h_x/m",
          "s3://b/m"
        }) {
      assertThatThrownBy(() -> OciReference.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void challenges() {
    Challenge c =
        Challenge.parse(
            "Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\","
                + "scope=\"repository:team/m:pull\"");
    assertThat(c.scheme()).isEqualTo("bearer");
    assertThat(c.params())
        .containsEntry("realm", "https://auth.example.com/token")
        .containsEntry("service", "registry.example.com")
        .containsEntry("scope", "repository:team/m:pull");
    assertThat(Challenge.parse("Basic realm=\"a \\\"b\\\"\"").params())
        .containsEntry("realm", "a \"b\"");
    assertThatThrownBy(() -> Challenge.parse("Bearer " + "x".repeat(5000)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String desc(String mt, String extra) {
    return "{\"mediaType\":\"" + mt + "\",\"digest\":\"" + D + "\",\"size\":3" + extra + "}";
  }

  @Test
  void manifests() {
    String ok =
        "{\"schemaVersion\":2,\"mediaType\":\""
            + MediaTypes.OCI_MANIFEST
            + "\",\"config\":"
            + desc(MediaTypes.MODELPACK_CONFIG, "")
            + ",\"layers\":["
            + desc(
                Fixtures.WEIGHT_RAW,
                ",\"annotations\":{\"org.opencontainers.image.title\":\"w.bin\"}")
            + "],\"urls\":[\"ignored\"]}";
    OciManifest m = OciManifest.parse(json(ok), D, null);
    assertThat(m.layers()).hasSize(1);
    assertThat(m.layers().get(0).annotation(MediaTypes.TITLE)).contains("w.bin");
    assertThat(MediaTypes.packing(m.layers().get(0))).isEqualTo(MediaTypes.Packing.RAW);
    // duplicate keys, wrong types, other digests, indexes, trailing content: refused
    for (String bad :
        new String[] {
          ok.replace("\"schemaVersion\":2,", "\"schemaVersion\":2,\"schemaVersion\":2,"),
          ok.replace("\"schemaVersion\":2", "\"schemaVersion\":1"),
          ok.replace("\"size\":3", "\"size\":-3"),
          ok.replace("\"size\":3", "\"size\":\"3\""),
          ok.replace(D, "sha512:" + "ab".repeat(64)),
          ok.replace(D, D.toUpperCase()),
          ok.replace("\"w.bin\"", "7"),
          ok.replace(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX),
          ok + "{}",
          "[" + ok + "]",
          "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"layers\":[]}"
        }) {
      assertThatThrownBy(() -> OciManifest.parse(json(bad), D, null))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    String deep = "[".repeat(1000) + "]".repeat(1000);
    assertThatThrownBy(
            () ->
                OciManifest.parse(
                    json(ok.replace("\"urls\":[\"ignored\"]", "\"x\":" + deep)), D, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void packing() {
    assertThat(MediaTypes.packing(Descriptor.of("application/vnd.cncf.model.weight.v1.tar", D, 1)))
        .isEqualTo(MediaTypes.Packing.TAR);
    assertThat(
            MediaTypes.packing(
                Descriptor.of("application/vnd.cncf.model.weight.v1.tar+gzip", D, 1)))
        .isEqualTo(MediaTypes.Packing.TAR_GZIP);
    assertThat(
            MediaTypes.packing(
                Descriptor.of("application/vnd.cncf.model.weight.v1.tar+zstd", D, 1)))
        .isEqualTo(MediaTypes.Packing.UNSUPPORTED);
    // ORAS: a file pushed with the default layer type is the file; a directory is marked
    assertThat(MediaTypes.packing(Descriptor.of("application/vnd.oci.image.layer.v1.tar", D, 1)))
        .isEqualTo(MediaTypes.Packing.RAW);
    assertThat(
            MediaTypes.packing(
                new Descriptor(
                    "application/vnd.oci.image.layer.v1.tar+gzip",
                    D,
                    1,
                    null,
                    Map.of(MediaTypes.ORAS_UNPACK, "true"))))
        .isEqualTo(MediaTypes.Packing.TAR_GZIP);
  }

  @Test
  void indexes() {
    String idx =
        "{\"schemaVersion\":2,\"mediaType\":\""
            + MediaTypes.OCI_INDEX
            + "\",\"manifests\":["
            + desc(
                MediaTypes.OCI_MANIFEST, ",\"artifactType\":\"" + MediaTypes.SIGSTORE_BUNDLE + "\"")
            + "]}";
    OciIndexDoc d = OciIndexDoc.parse(json(idx), null);
    assertThat(d.manifests().get(0).artifactType()).isEqualTo(MediaTypes.SIGSTORE_BUNDLE);
    assertThat(OciIndexDoc.parse(d.toJson(), null)).isEqualTo(d);
    assertThatThrownBy(
            () ->
                OciIndexDoc.parse(
                    json(idx.replace(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST)), null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void credentials(@TempDir Path tmp) throws Exception {
    String auth = Base64.getEncoder().encodeToString(json("bob:pa:ss"));
    Path f =
        Files.writeString(
            tmp.resolve("config.json"),
            "{\"auths\":{\"https://reg.example.com:5000/v1/\":{\"auth\":\""
                + auth
                + "\"},"
                + "\"other\":{\"username\":\"u\",\"password\":\"p\"}},\"credsStore\":\"desktop\"}");
    Credentials c = Credentials.read(f, "reg.example.com:5000");
    assertThat(c.user()).isEqualTo("bob");
    assertThat(new String(c.password())).isEqualTo("pa:ss");
    assertThat(c.toString()).doesNotContain("pa:ss");
    assertThat(Credentials.read(f, "other").user()).isEqualTo("u");
    assertThat(Credentials.read(f, "nobody.example.com")).isNull();
    Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"auths\":{\"h\":{\"auth\":\"!!\"}}}");
    assertThatThrownBy(() -> Credentials.read(bad, "h")).isInstanceOf(ModelIoException.class);
    Path dup = Files.writeString(tmp.resolve("dup.json"), "{\"auths\":{},\"auths\":{}}");
    assertThatThrownBy(() -> Credentials.read(dup, "h")).isInstanceOf(ModelIoException.class);
  }
}
