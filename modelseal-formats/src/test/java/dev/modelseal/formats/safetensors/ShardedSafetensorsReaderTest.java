package dev.modelseal.formats.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.TensorModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sharded models: the index and the shards must agree exactly; shards stay in the directory. */
class ShardedSafetensorsReaderTest {
  @TempDir Path dir;

  @BeforeEach
  void shards() throws Exception {
    Files.write(
        dir.resolve("s1.safetensors"),
        SafetensorsReaderTest.st(
            "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1));
    Files.write(
        dir.resolve("s2.safetensors"),
        SafetensorsReaderTest.st(
            "{\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2));
  }

  private void index(String weightMap) throws Exception {
    Files.write(
        dir.resolve(ShardedSafetensorsReader.INDEX),
        ("{\"metadata\":{\"total_size\":3},\"weight_map\":{" + weightMap + "}}")
            .getBytes(StandardCharsets.UTF_8));
  }

  private void rejects(String reason) {
    assertThatThrownBy(() -> FormatDetector.create().open(dir))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void valid_directory() throws Exception {
    index("\"a\":\"s1.safetensors\",\"b\":\"s2.safetensors\"");
    try (TensorModel m = FormatDetector.create().open(dir)) {
      assertThat(m.tensors()).hasSize(2);
      assertThat(m.metadata()).containsEntry("total_size", "3");
    }
  }

  @Test
  void tensorInOtherShardThanIndexSays_rejected() throws Exception {
    index("\"a\":\"s1.safetensors\",\"b\":\"s1.safetensors\",\"c\":\"s2.safetensors\"");
    rejects("tensor 'b' is in this shard but the index puts it in 's1.safetensors'");
  }

  @Test
  void tensorMissingFromShard_rejected() throws Exception {
    index("\"a\":\"s1.safetensors\",\"b\":\"s2.safetensors\",\"c\":\"s2.safetensors\"");
    rejects("the index puts tensor 'c' in this shard but it is not there");
  }

  @Test
  void shardOutsideDirectory_rejected() throws Exception {
    index("\"a\":\"../s1.safetensors\",\"b\":\"s2.safetensors\"");
    rejects("not a plain file name");
  }

  @Test
  void missingShard_rejected() throws Exception {
    index("\"a\":\"s1.safetensors\",\"b\":\"nope.safetensors\"");
    rejects("is not a regular file");
  }

  @Test
  void duplicateIndexKeys_rejected() throws Exception {
    index("\"a\":\"s1.safetensors\",\"a\":\"s1.safetensors\",\"b\":\"s2.safetensors\"");
    rejects("names tensor 'a' twice");
  }
}
