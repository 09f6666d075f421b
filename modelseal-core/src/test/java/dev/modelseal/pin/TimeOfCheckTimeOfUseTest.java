package dev.modelseal.pin;

import static dev.modelseal.testing.TempModels.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelseal.ModelChangedException;
import dev.modelseal.ModelsealException;
import dev.modelseal.manifest.ModelHasher;
import dev.modelseal.manifest.PinDigest;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.walk.ModelWalker;
import dev.modelseal.walk.WalkOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attacker thread swaps the model file (rename over it, and in-place writes) as fast as it can
 * while the model is opened again and again. Whatever the interleaving, a returned handle holds
 * exactly the pinned bytes; everything else is a verification failure, never other bytes.
 */
class TimeOfCheckTimeOfUseTest {
  @TempDir Path dir;
  @TempDir Path staging;

  @Test
  void swappedWhileOpening_neverHandsOutOtherBytes() throws Exception {
    byte[] good = bytes(6 * 1024 * 1024, 1);
    byte[] evil = good.clone();
    Arrays.fill(evil, 5 * 1024 * 1024, 5 * 1024 * 1024 + 16, (byte) 0x42);
    Path model = dir.resolve("model");
    Files.createDirectories(model);
    Path target = model.resolve("model.onnx");
    Files.write(target, good);
    PinDigest pinned =
        ModelHasher.of(Serialization.defaults())
            .hash(ModelWalker.with(WalkOptions.defaults()).walk(model))
            .pin();
    Path goodFile = Files.write(dir.resolve("good.tmp"), good);
    Path evilFile = Files.write(dir.resolve("evil.tmp"), evil);

    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger swaps = new AtomicInteger();
    Thread attacker =
        new Thread(
            () -> {
              int i = 0;
              while (!stop.get()) {
                try {
                  Path src = (i++ % 2 == 0) ? evilFile : goodFile;
                  if (i % 3 == 0) {
                    // In-place write into the file being read.
                    try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
                      byte[] patch =
                          Arrays.copyOfRange(Files.readAllBytes(src), 5 << 20, (5 << 20) + 16);
                      ch.write(ByteBuffer.wrap(patch), 5 * 1024 * 1024);
                    }
                  } else {
                    Path tmp = dir.resolve("swap.tmp");
                    Files.copy(src, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(
                        tmp,
                        target,
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
                  }
                  swaps.incrementAndGet();
                } catch (Exception e) {
                  // the reader may hold the file; keep going
                }
              }
            });
    attacker.start();
    int verified = 0;
    int refused = 0;
    List<String> wrong = new ArrayList<>();
    try {
      long end = System.nanoTime() + 4_000_000_000L;
      while (System.nanoTime() < end || verified == 0 || refused == 0) {
        if (System.nanoTime() > end + 20_000_000_000L) {
          break;
        }
        boolean inMemory = (verified + refused) % 2 == 0;
        try (VerifiedModel m =
            inMemory
                ? ModelPin.of(pinned).openInMemory(model)
                : ModelPin.of(pinned).open(model, staging)) {
          verified++;
          byte[] got = m.readAllBytes("model.onnx");
          if (!Arrays.equals(got, good)) {
            wrong.add("handed out bytes that differ from the pinned ones");
          }
          ByteBuffer b = m.buffer("model.onnx");
          byte[] viaBuffer = new byte[b.remaining()];
          b.get(viaBuffer);
          if (!Arrays.equals(viaBuffer, good)) {
            wrong.add("buffer differs from the pinned bytes");
          }
        } catch (ModelMismatchException | ModelChangedException e) {
          refused++;
        } catch (ModelsealException e) {
          refused++; // e.g. the file vanished between rename steps
        }
      }
    } finally {
      stop.set(true);
      attacker.join();
    }
    assertThat(wrong).isEmpty();
    assertThat(swaps.get()).isGreaterThan(10);
    assertThat(verified).as("some opens saw the good file").isPositive();
    assertThat(refused).as("some opens saw a swapped file").isPositive();
  }
}
