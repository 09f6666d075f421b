package dev.modelseal.formats.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.LimitExceededException;
import dev.modelseal.formats.MalformedModelException;
import dev.modelseal.formats.Shared;
import dev.modelseal.formats.UnsupportedModelException;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The interpreter reads CPython's pickles of every protocol into the same inert tree, records
 * imports, and ends hostile input (truncations, bombs, huge lengths) with a FormatException.
 */
class PickleMachineTest {
  private static final Path FILE = Paths.get("test.pkl");

  static PickleMachine.Result run(byte[] b) throws FormatException {
    return PickleMachine.run(b, FILE, "pickle", PickleResolver.INERT, PickleLimits.defaults());
  }

  static PickleMachine.Result run(byte[] b, PickleLimits l) throws FormatException {
    return PickleMachine.run(b, FILE, "pickle", PickleResolver.INERT, l);
  }

  /** Bytes from text, where each char is one byte (Latin-1). */
  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5})
  void cpythonPickles_everyProtocol_sameTree(int protocol) throws Exception {
    byte[] data = Files.readAllBytes(Shared.fixture("pickles/protocol" + protocol + ".pkl"));
    PickleMachine.Result r = run(data);
    PyDict d = (PyDict) r.value();
    List<Object> a = ((PyList) d.get("a")).items();
    assertThat(a).hasSize(17);
    assertThat(a.get(0)).isEqualTo(1L);
    assertThat(a.get(1)).isEqualTo(-2L);
    assertThat(a.get(2)).isEqualTo(3.5);
    assertThat(a.get(3)).isEqualTo(PyNone.NONE);
    assertThat(a.get(4)).isEqualTo(true);
    assertThat(a.get(5)).isEqualTo(false);
    assertThat(a.get(6)).isEqualTo("\u00fc");
    assertThat(((PyTuple) a.get(8)).items()).containsExactly(1L, 2L);
    assertThat(a.get(9)).isEqualTo(BigInteger.TWO.pow(70));
    assertThat(a.get(10)).isEqualTo(BigInteger.TWO.pow(70).negate());
    assertThat(a.get(14)).isEqualTo("x".repeat(300));
    assertThat(a.get(15)).isEqualTo(65536L);
    assertThat(a.get(16)).isEqualTo(-70000L);
    if (protocol >= 3) {
      assertThat(a.get(7)).isEqualTo(new PyBytes(new byte[] {0, 1}, false));
    } else {
      // bytes in protocols 0-2 are _codecs.encode(latin-1 text): an inert call.
      assertThat(((PyGlobal) ((PyCall) a.get(7)).callable()).toString())
          .isEqualTo("_codecs.encode");
    }
    if (protocol >= 4) {
      assertThat(a.get(12)).isInstanceOf(PySet.class);
      assertThat(((PySet) a.get(13)).isFrozen()).isTrue();
    }
    if (protocol == 5) {
      assertThat(a.get(11)).isEqualTo(new PyBytes(new byte[] {'x', 'y'}, true));
      assertThat(r.imports()).isEmpty();
    } else {
      assertThat(r.imports()).isNotEmpty();
    }
    PyTuple t = (PyTuple) d.get("b");
    assertThat(t.items()).containsExactly("x", "x");
    assertThat(r.protocol()).isEqualTo(protocol < 2 ? 0 : protocol);
  }

  @Test
  void reduce_osSystem_recordedAsInertCallNeverRun() throws Exception {
    Path marker = Files.createTempFile("modelseal", ".marker");
    Files.delete(marker);
    byte[] p =
        b(
            "\u0080\u0002cos\nsystem\nX"
                + le4(6 + marker.toString().length())
                + "touch "
                + marker
                + "\u0085R.");
    PickleMachine.Result r = run(p);
    PyCall c = (PyCall) r.value();
    assertThat(c.callable()).isEqualTo(new PyGlobal("os", "system"));
    assertThat(c.opcode()).isEqualTo("REDUCE");
    assertThat(r.imports()).extracting(i -> i.global().toString()).containsExactly("os.system");
    assertThat(marker).doesNotExist();
  }

  @Test
  void stackGlobal_operandsFromMemo_recorded() throws Exception {
    // PROTO 4, 'os' MEMOIZE, 'system' MEMOIZE, BINGET 0, BINGET 1, STACK_GLOBAL, STOP
    byte[] p = b("\u0080\u0004\u008c\u0002os\u0094\u008c\u0006system\u0094h\u0000h\u0001\u0093.");
    PickleMachine.Result r = run(p);
    assertThat(r.value()).isEqualTo(new PyGlobal("os", "system"));
    assertThat(r.imports().get(0).opcode()).isEqualTo("STACK_GLOBAL");
  }

  @Test
  void instObjNewobjEx_buildAndExt_recordedInert() throws Exception {
    byte[] p =
        b("((S'a'\nipkg\nCls\n(cmod\nK\nK\u0001o\u0080\u0002cm\nN\n)}\u0092}b\u0082\u0007l.");
    PickleMachine.Result r = run(p);
    assertThat(r.imports())
        .extracting(i -> i.global().toString())
        .containsExactly("pkg.Cls", "mod.K", "m.N", "copyreg.extension.7");
    assertThat(((PyList) r.value()).items()).hasSize(4);
    PyCall newobjEx = (PyCall) ((PyList) r.value()).items().get(2);
    assertThat(newobjEx.opcode()).isEqualTo("NEWOBJ_EX");
    assertThat(newobjEx.states()).hasSize(1);
  }

  @Test
  void protocol0Text_escapesAndNumbers() throws Exception {
    byte[] p =
        b(
            "(S'a\\x41\\n\\'\\101'\nVb\\u00fc\\U0001f600\nI-12\nL99999999999999999999L\n"
                + "F-1.5e3\nFnan\nI01\nl.");
    List<Object> l = ((PyList) run(p).value()).items();
    assertThat(l.get(0)).isEqualTo("aA\n'A");
    assertThat(l.get(1)).isEqualTo("b\u00fc\uD83D\uDE00");
    assertThat(l.get(2)).isEqualTo(-12L);
    assertThat(l.get(3)).isEqualTo(new BigInteger("99999999999999999999"));
    assertThat(l.get(4)).isEqualTo(-1500.0);
    assertThat((Double) l.get(5)).isNaN();
    assertThat(l.get(6)).isEqualTo(true);
  }

  @Test
  void everyTruncation_isMalformed() throws Exception {
    byte[] data = Files.readAllBytes(Shared.fixture("pickles/protocol2.pkl"));
    List<String> failures = new ArrayList<>();
    for (int n = 0; n < data.length; n++) {
      try {
        run(Arrays.copyOf(data, n));
        failures.add(n + ": accepted");
      } catch (MalformedModelException e) {
        if (!e.getMessage().contains("test.pkl") || e.getMessage().contains("\n")) {
          failures.add(n + ": " + e.getMessage());
        }
      } catch (Exception | Error e) {
        failures.add(n + ": " + e);
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void everyBitFlip_endsInValueOrFormatException() throws Exception {
    byte[] data = Files.readAllBytes(Shared.fixture("pickles/protocol4.pkl"));
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < data.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] m = data.clone();
        m[i] ^= (byte) (1 << bit);
        try {
          run(m);
        } catch (FormatException e) {
          // expected for most
        } catch (Exception | Error e) {
          failures.add(i + "/" + bit + ": " + e);
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void hugeLengths_refusedBeforeAllocating() {
    // BINUNICODE8 with 2^62 bytes, BINBYTES with 2^31-1 bytes, LONG4 with 1 GiB, BYTEARRAY8 < 0
    for (String p :
        List.of(
            "\u0080\u0004\u008d\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0040.",
            "\u0080\u0003B\u00ff\u00ff\u00ff\u007f.",
            "\u0080\u0002\u008b\u0000\u0000\u0000\u0040.",
            "\u0080\u0005\u0096\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff.",
            "\u0080\u0002T\u00ff\u00ff\u00ff\u00ff.")) {
      assertThatThrownBy(() -> run(b(p))).isInstanceOf(FormatException.class);
    }
    assertThatThrownBy(
            () ->
                run(
                    b("\u0080\u0003B\u0000\u0000\u0001\u0000."),
                    PickleLimits.builder().stringBytes(1000).build()))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("BINBYTES length");
  }

  @Test
  void memoBomb_limited() {
    // Thousands of distinct memo entries from one list.
    StringBuilder s = new StringBuilder("\u0080\u0002]");
    for (int i = 0; i < 5000; i++) {
      s.append('r').append(le4(i));
    }
    s.append('.');
    assertThatThrownBy(() -> run(b(s.toString()), PickleLimits.builder().memo(1000).build()))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("memo size");
  }

  @Test
  void dupBomb_sharedReferencesNotCopied() throws Exception {
    // t = (); 60 times: t = (t, t): 2^60 leaves if copied; here 60 small tuples.
    StringBuilder s = new StringBuilder("\u0080\u0002)");
    for (int i = 0; i < 60; i++) {
      s.append("2\u0086");
    }
    s.append('.');
    long start = System.nanoTime();
    assertThat(run(b(s.toString())).value()).isInstanceOf(PyTuple.class);
    assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
  }

  @Test
  void stackAndOpcodeLimits() {
    assertThatThrownBy(
            () -> run(b("(".repeat(2000) + "."), PickleLimits.builder().stack(1000).build()))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("stack size");
    assertThatThrownBy(
            () -> run(b("N0".repeat(2000) + "N."), PickleLimits.builder().opcodes(1000).build()))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("opcode count");
  }

  @Test
  void malformed_oneLineReasons() {
    assertThatThrownBy(() -> run(b("\u0080\u0002\u00ff.")))
        .isInstanceOf(MalformedModelException.class)
        .hasMessageContaining("unknown opcode 0xff");
    assertThatThrownBy(() -> run(b("\u0080\u0002h\u0005.")))
        .hasMessageContaining("memo entry 5 is read before it is written");
    assertThatThrownBy(() -> run(b("\u0080\u0002."))).hasMessageContaining("pops an empty stack");
    assertThatThrownBy(() -> run(b("\u0080\u0002t."))).hasMessageContaining("needs a MARK");
    assertThatThrownBy(() -> run(b("\u0080\u0002N." + "N")))
        .hasMessageContaining("1 bytes after the pickle's STOP");
    assertThatThrownBy(() -> run(b("\u0080\u0006N.")))
        .hasMessageContaining("unsupported pickle protocol 6");
    assertThatThrownBy(() -> run(b("\u0080\u0005\u0097.")))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining("out-of-band");
    assertThatThrownBy(() -> run(b("\u0080\u0002]Nb."))).hasMessageContaining("BUILD on a list");
    assertThatThrownBy(() -> run(b("I1x\n."))).hasMessageContaining("not a decimal integer");
    assertThatThrownBy(() -> run(b("\u0080\u0002X\u0002\u0000\u0000\u0000\u00c3\u0028.")))
        .hasMessageContaining("not valid UTF-8");
  }

  @Test
  void frameAndMemoize_protocol4() throws Exception {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.writeBytes(
        b(
            "\u0080\u0004\u0095\u0005\u0000\u0000\u0000\u0000\u0000\u0000\u0000K\u0007\u0094h\u0000\u0086."));
    PyTuple t = (PyTuple) run(o.toByteArray()).value();
    assertThat(t.items()).containsExactly(7L, 7L);
  }

  private static String le4(int n) {
    return new String(
        new byte[] {(byte) n, (byte) (n >> 8), (byte) (n >> 16), (byte) (n >> 24)},
        StandardCharsets.ISO_8859_1);
  }
}
