package dev.modelseal.walk;

import static dev.modelseal.testing.TempModels.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.InvalidInputException;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelWalkerTest {
  @TempDir Path dir;

  private static List<String> names(ModelTree t) {
    return t.files().stream().map(ModelFile::name).toList();
  }

  private ModelTree walk(WalkOptions o) throws ModelsealException {
    return ModelWalker.with(o).walk(dir);
  }

  @Test
  void walk_unicodeSpacesHiddenAndNested_namesArePosixAndSorted() throws Exception {
    write(dir, "config.json", "{}");
    write(dir, "weights/part 1.bin", "a");
    write(dir, "Ünïcode/模型.bin", "b");
    write(dir, ".hidden/x", "c");
    write(dir, ".env", "d");
    write(dir, "empty.bin", "");
    ModelTree t = walk(WalkOptions.defaults());
    assertThat(names(t))
        .containsExactly(
            ".env",
            ".hidden/x",
            "config.json",
            "empty.bin",
            "weights/part 1.bin",
            "Ünïcode/模型.bin");
    assertThat(t.singleFile()).isFalse();
    assertThat(t.files().get(3).size()).isZero();
  }

  @Test
  void walk_gitPathsExcludedAtTopLevelOnly() throws Exception {
    write(dir, ".git/HEAD", "ref");
    write(dir, ".github/workflows/ci.yml", "x");
    write(dir, ".gitignore", "x");
    write(dir, ".gitattributes", "x");
    write(dir, "sub/.git/HEAD", "ref");
    write(dir, "sub/.gitignore", "x");
    write(dir, "model.bin", "m");
    assertThat(names(walk(WalkOptions.defaults())))
        .containsExactly("model.bin", "sub/.git/HEAD", "sub/.gitignore");
    assertThat(names(walk(WalkOptions.defaults().gitExclusions(false))))
        .contains(".git/HEAD", ".gitignore");
  }

  @Test
  void walk_ignorePathsMatchWholeComponents() throws Exception {
    write(dir, "a/x.bin", "1");
    write(dir, "ab/y.bin", "2");
    write(dir, "a.bin", "3");
    write(dir, "logs/run/1.txt", "4");
    ModelTree t = walk(WalkOptions.defaults().ignoring(List.of("a", "./logs/run/")));
    assertThat(names(t)).containsExactly("a.bin", "ab/y.bin");
    assertThat(t.options().recordedIgnorePaths()).startsWith("a", "logs/run");
  }

  @Test
  void walk_codePointOrderNotUtf16Order() throws Exception {
    write(dir, "\uFB01.bin", "1"); // U+FB01, sorts before U+1F600 by code point
    write(dir, "\uD83D\uDE00.bin", "2"); // U+1F600, surrogates sort before U+FB01 in UTF-16
    assertThat(names(walk(WalkOptions.defaults())))
        .containsExactly("\uFB01.bin", "\uD83D\uDE00.bin");
  }

  @Test
  void walk_singleFile_nameIsBasename() throws Exception {
    Path f = write(dir, "model.onnx", "onnx");
    ModelTree t = ModelWalker.with(WalkOptions.defaults()).walk(f);
    assertThat(t.singleFile()).isTrue();
    assertThat(names(t)).containsExactly("model.onnx");
    assertThat(t.modelName()).isEqualTo("model.onnx");
  }

  @Test
  void walk_emptyDirectory_refused() {
    assertThatThrownBy(() -> walk(WalkOptions.defaults()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no files");
  }

  @Test
  void walk_onlyIgnoredFiles_refusedAsEmpty() throws Exception {
    write(dir, ".git/HEAD", "x");
    write(dir, "skip.bin", "x");
    assertThatThrownBy(() -> walk(WalkOptions.defaults().ignoring(List.of("skip.bin"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no files");
  }

  @Test
  void walk_missingPath_ioErrorNamingIt() {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> ModelWalker.with(WalkOptions.defaults()).walk(missing))
        .isInstanceOf(ModelIoException.class)
        .hasMessage(missing + ": no such file or directory");
  }

  @Test
  void walk_symlinkRefusedByDefault() throws Exception {
    write(dir, "real.bin", "x");
    Files.createSymbolicLink(dir.resolve("link.bin"), dir.resolve("real.bin"));
    assertThatThrownBy(() -> walk(WalkOptions.defaults()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("link.bin")
        .hasMessageContaining("symbolic link");
  }

  @Test
  void walk_symlinkInsideRootFollowedWhenAllowed() throws Exception {
    write(dir, "real.bin", "x");
    write(dir, "shards/a.bin", "y");
    Files.createSymbolicLink(dir.resolve("link.bin"), Path.of("real.bin"));
    Files.createSymbolicLink(dir.resolve("alias"), Path.of("shards"));
    ModelTree t = walk(WalkOptions.defaults().allowSymlinks(true));
    assertThat(names(t)).containsExactly("alias/a.bin", "link.bin", "real.bin", "shards/a.bin");
  }

  @Test
  void walk_symlinkLeavingRootRefusedEvenWhenAllowed(@TempDir Path outside) throws Exception {
    write(dir, "model.bin", "x");
    Path secret = write(outside, "secret", "s");
    Files.createSymbolicLink(dir.resolve("escape"), secret);
    assertThatThrownBy(() -> walk(WalkOptions.defaults().allowSymlinks(true)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("leaves the model root");
  }

  @Test
  void walk_symlinkCycleRefused() throws Exception {
    write(dir, "sub/model.bin", "x");
    Files.createSymbolicLink(dir.resolve("sub/loop"), Path.of(".."));
    assertThatThrownBy(() -> walk(WalkOptions.defaults().allowSymlinks(true)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cycle");
  }

  @Test
  void walk_danglingSymlinkRefused() throws Exception {
    write(dir, "model.bin", "x");
    Files.createSymbolicLink(dir.resolve("gone"), Path.of("missing"));
    assertThatThrownBy(() -> walk(WalkOptions.defaults().allowSymlinks(true)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("missing target");
  }

  @Test
  void walk_fifoRefused() throws Exception {
    write(dir, "model.bin", "x");
    Process p = new ProcessBuilder("mkfifo", dir.resolve("pipe").toString()).start();
    assertThat(p.waitFor()).isZero();
    assertThatThrownBy(() -> walk(WalkOptions.defaults()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("pipe")
        .hasMessageContaining("not a regular file");
  }

  @Test
  void walk_backslashInNameRefused() throws Exception {
    write(dir, "a\\b.bin", "x");
    assertThatThrownBy(() -> walk(WalkOptions.defaults()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("backslash");
  }

  @Test
  void walk_unreadableDirectory_ioError() throws Exception {
    write(dir, "locked/model.bin", "x");
    Path locked = dir.resolve("locked");
    Files.setPosixFilePermissions(locked, java.util.Set.of());
    try {
      org.junit.jupiter.api.Assumptions.assumeFalse(
          Files.isReadable(locked), "permissions not enforced (root); see the CLI test");
      assertThatThrownBy(() -> walk(WalkOptions.defaults()))
          .isInstanceOf(ModelIoException.class)
          .hasMessageContaining("permission denied");
    } finally {
      Files.setPosixFilePermissions(
          locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void resourceNames_rejectEscapes() {
    assertThat(ResourceNames.check("a/b.bin")).isNull();
    assertThat(ResourceNames.check("../x")).contains("..");
    assertThat(ResourceNames.check("a/../x")).contains("..");
    assertThat(ResourceNames.check("/etc/passwd")).contains("absolute");
    assertThat(ResourceNames.check("a\\b")).contains("backslash");
    assertThat(ResourceNames.check("a//b")).contains("empty");
    assertThat(ResourceNames.check("./a")).contains("'.'");
    assertThat(ResourceNames.check("a/")).contains("trailing");
    assertThat(ResourceNames.check("")).contains("empty");
    assertThat(ResourceNames.check("a\u0000b")).contains("control");
  }

  @Test
  void ignoring_emptyPathRejected() throws IOException {
    assertThatThrownBy(() -> WalkOptions.defaults().ignoring(List.of("./")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
