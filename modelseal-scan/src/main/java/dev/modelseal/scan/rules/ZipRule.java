package dev.modelseal.scan.rules;

import dev.modelseal.scan.Content;
import dev.modelseal.scan.FormatRule;
import dev.modelseal.scan.ScanContext;
import dev.modelseal.scan.ScanLimitException;
import dev.modelseal.scan.Severity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Zip archives of any kind (PyTorch and TorchScript archives, .npz, .keras, nested zips): every
 * member is routed by its content, whatever its name, so a pickle in {@code archive/data.pkl}, in
 * {@code constants.pkl} or in a member named {@code weights} is found. Members of a PyTorch
 * archive's {@code data/} folder are tensor storages: routed too, but not reported when they are no
 * recognised format. Rule ids: {@code zip.malformed} (high: loaders with other zip readers may
 * still open it), {@code zip.duplicate-member} (high). An encrypted member makes the whole archive
 * unreadable.
 */
public final class ZipRule implements FormatRule {
  @Override
  public String format() {
    return "zip";
  }

  @Override
  public boolean claims(Content c) {
    return c.headByte(0) == 'P'
        && c.headByte(1) == 'K'
        && ((c.headByte(2) == 3 && c.headByte(3) == 4)
            || (c.headByte(2) == 5 && c.headByte(3) == 6));
  }

  @Override
  public void scan(Content c, ScanContext ctx) throws IOException {
    Path file = ctx.spill(c);
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      ctx.finding(
          c,
          "zip.malformed",
          Severity.HIGH,
          "",
          "zip archive cannot be read ("
              + e.getMessage()
              + "); loaders with another zip reader may still open it; members not scanned");
      return;
    }
    try (zip) {
      List<ZipEntry> entries = new ArrayList<>();
      Set<String> names = new HashSet<>();
      Set<String> torchPrefixes = new HashSet<>();
      int count = 0;
      for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
        ZipEntry e = en.nextElement();
        if (++count > ctx.limits().members()) {
          throw new ScanLimitException("zip has more than " + ctx.limits().members() + " members");
        }
        if (!names.add(e.getName())) {
          ctx.finding(
              c,
              "zip.duplicate-member",
              Severity.HIGH,
              member(e),
              "zip names this member twice; readers disagree on which copy they load");
        }
        if (e.getName().endsWith("/data.pkl")) {
          torchPrefixes.add(e.getName().substring(0, e.getName().length() - "data.pkl".length()));
        } else if (e.getName().equals("data.pkl")) {
          torchPrefixes.add("");
        }
        entries.add(e);
      }
      for (ZipEntry e : entries) {
        if (e.isDirectory()) {
          continue;
        }
        Content.Role role =
            isStorage(e.getName(), torchPrefixes) ? Content.Role.TENSOR_DATA : Content.Role.ANY;
        ctx.scanNested(c, member(e), e.getSize(), () -> open(zip, e), role);
      }
    }
  }

  private static java.io.InputStream open(ZipFile zip, ZipEntry e) throws IOException {
    try {
      return zip.getInputStream(e);
    } catch (ZipException ex) {
      throw new IOException("zip member cannot be read: " + ex.getMessage(), ex);
    }
  }

  private static boolean isStorage(String name, Set<String> torchPrefixes) {
    for (String p : torchPrefixes) {
      if (name.startsWith(p + "data/") || name.startsWith(p + ".data/")) {
        return true;
      }
    }
    return false;
  }

  private static String member(ZipEntry e) {
    return "member '" + PickleScan.printable(e.getName()) + "'";
  }
}
