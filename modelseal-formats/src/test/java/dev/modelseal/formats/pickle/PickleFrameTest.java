package dev.modelseal.formats.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.formats.MalformedModelException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * CPython's framing: where the file and in-memory loaders part, and the tensor reader refusing it.
 */
class PickleFrameTest {
  private static final Path FILE = Path.of("framed.pkl");

  private static byte[] framed(int frameLength, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x80);
    out.write(4);
    out.write(0x95);
    out.writeBytes(
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(frameLength).array());
    out.writeBytes(body);
    return out.toByteArray();
  }

  @Test
  void wellFramedPickle_reads() throws Exception {
    byte[] body = {(byte) 0x8c, 2, 'h', 'i', '.'};
    PickleMachine.Result r =
        PickleMachine.run(
            framed(body.length, body),
            FILE,
            "pickle",
            PickleResolver.INERT,
            PickleLimits.defaults());
    assertThat(r.value()).isEqualTo("hi");
  }

  @Test
  void argumentCrossingTheFrameEnd_isRefused() {
    // SHORT_BINUNICODE of 2 bytes whose second byte lies after a 3-byte frame.
    byte[] body = {(byte) 0x8c, 2, 'h', 'i', '.'};
    assertThatThrownBy(
            () ->
                PickleMachine.run(
                    framed(3, body), FILE, "pickle", PickleResolver.INERT, PickleLimits.defaults()))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("crosses the end of its FRAME");
  }

  @Test
  void fileLoader_readsACrossingArgumentFromAfterTheFrame() {
    PickleFrame f = new PickleFrame(PickleFrame.Loader.FILE);
    assertThat(f.frame(11, 5)).isEqualTo(11); // frame buffer [11, 16)
    assertThat(f.read(11, 1)).isEqualTo(11); // an opcode inside it
    assertThat(f.read(12, 8)).isEqualTo(16); // 8 bytes do not fit: the rest is dropped
    assertThat(f.crossed()).isTrue();
    assertThat(f.read(24, 1)).isEqualTo(24); // outside any frame: sequential
  }

  @Test
  void inMemoryLoader_readsThroughTheFrameEnd() {
    PickleFrame f = new PickleFrame(PickleFrame.Loader.IN_MEMORY);
    f.frame(11, 5);
    assertThat(f.read(12, 8)).isEqualTo(12);
    assertThat(f.crossed()).isTrue();
  }

  @Test
  void fileLoader_dropsTheRestOfABufferAtANewFrameAndALine() {
    PickleFrame f = new PickleFrame(PickleFrame.Loader.FILE);
    f.frame(11, 10); // [11, 21)
    assertThat(f.frame(19, 100)).isEqualTo(21); // does not fit in what is left
    PickleFrame g = new PickleFrame(PickleFrame.Loader.FILE);
    g.frame(11, 4); // [11, 15)
    assertThat(g.dropsLine(12, 14)).isFalse();
    assertThat(g.dropsLine(12, 15)).isTrue(); // the line reached the buffer's end
  }
}
