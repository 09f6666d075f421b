package dev.modelseal.oci;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelseal.internal.StrictJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Pushes model artifacts to a test registry with this module's own client: ModelPack-style raw
 * layers (one file per layer, {@code org.opencontainers.image.title}), tar layers written by
 * commons-compress, and manifests built from descriptors.
 */
final class Fixtures {
  static final String WEIGHT_RAW = "application/vnd.cncf.model.weight.v1.raw";
  static final String WEIGHT_TAR = "application/vnd.cncf.model.weight.v1.tar";

  final Repository repo;
  final RegistryClient client;

  Fixtures(TestRegistry reg, String repository, Credentials creds) {
    this.client =
        new RegistryClient(reg.host(), OciOptions.defaults().plainHttp(true).attempts(2), creds);
    this.repo = new Repository(client, reg.host(), repository);
  }

  /** A small three-file model: name to content. */
  static Map<String, byte[]> model(long seed, int weightBytes) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    byte[] w = new byte[weightBytes];
    new Random(seed).nextBytes(w);
    files.put("model.safetensors", w);
    files.put("config.json", "{\"hidden\": 64}".getBytes(StandardCharsets.UTF_8));
    files.put("tokenizer/vocab.txt", "a\nb\nc\n".getBytes(StandardCharsets.UTF_8));
    return files;
  }

  /** Writes {@code files} into {@code dir} (the local twin to hash). */
  static Path write(Path dir, Map<String, byte[]> files) throws IOException {
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Path p = dir.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, e.getValue());
    }
    return dir;
  }

  /** Pushes each file as a raw layer; returns the layer descriptors. */
  List<Descriptor> rawLayers(Map<String, byte[]> files) throws Exception {
    List<Descriptor> out = new java.util.ArrayList<>();
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      out.add(rawLayer(e.getKey(), e.getValue()));
    }
    return out;
  }

  Descriptor rawLayer(String name, byte[] content) throws Exception {
    String d = repo.pushBlob(content);
    return new Descriptor(WEIGHT_RAW, d, content.length, null, Map.of(MediaTypes.TITLE, name));
  }

  /** Pushes a tar layer (entries written by {@code writer}). */
  Descriptor tarLayer(String title, TarWriter writer) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      writer.write(tar);
    }
    byte[] b = bytes.toByteArray();
    String d = repo.pushBlob(b);
    return new Descriptor(WEIGHT_TAR, d, b.length, null, Map.of(MediaTypes.TITLE, title));
  }

  interface TarWriter {
    void write(TarArchiveOutputStream tar) throws IOException;
  }

  static void tarFile(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(content.length);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  /** Pushes a ModelPack-style manifest of {@code layers} under {@code tag}; returns its digest. */
  String pushManifest(String tag, List<Descriptor> layers) throws Exception {
    byte[] m = manifestBytes(layers);
    repo.putManifest(tag, m, MediaTypes.OCI_MANIFEST);
    return Repository.sha256(m);
  }

  byte[] manifestBytes(List<Descriptor> layers) throws Exception {
    byte[] config = "{\"descriptor\":{\"name\":\"test\"}}".getBytes(StandardCharsets.UTF_8);
    String cd = repo.pushBlob(config);
    ObjectNode root = StrictJson.mapper().createObjectNode();
    root.put("schemaVersion", 2);
    root.put("mediaType", MediaTypes.OCI_MANIFEST);
    root.put("artifactType", "application/vnd.cncf.model.manifest.v1+json");
    Descriptor.of(MediaTypes.MODELPACK_CONFIG, cd, config.length).write(root.putObject("config"));
    ArrayNode ls = root.putArray("layers");
    for (Descriptor d : layers) {
      d.write(ls.addObject());
    }
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }
}
