package dev.modelseal.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelseal.ModelIoException;
import dev.modelseal.ModelsealException;
import dev.modelseal.internal.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * A registry's user name and password from a docker/podman credentials file: {@code
 * auths.<registry>.auth} (base64 {@code user:password}) or {@code username} and {@code password}.
 * Keys match the registry host (with port), with or without an {@code https://} or {@code http://}
 * prefix and a path ({@code https://index.docker.io/v1/}). Credential helpers ({@code credsStore},
 * {@code credHelpers}) are not run. The file is read bounded (1 MiB) and strictly; nothing is
 * printed.
 */
record Credentials(String user, char[] password) {
  private static final int MAX_FILE = 1024 * 1024;

  /**
   * The credentials for {@code registry}: from {@code file} if given, else {@code
   * REGISTRY_AUTH_FILE}, else {@code ~/.docker/config.json} ({@code DOCKER_CONFIG/config.json});
   * null when none is found.
   */
  static Credentials lookup(String registry, Path file) throws ModelsealException {
    Path f = file;
    if (f == null) {
      String env = System.getenv("REGISTRY_AUTH_FILE");
      if (env != null && !env.isBlank()) {
        f = Path.of(env);
      } else {
        String dc = System.getenv("DOCKER_CONFIG");
        f =
            dc != null && !dc.isBlank()
                ? Path.of(dc, "config.json")
                : Path.of(System.getProperty("user.home"), ".docker", "config.json");
        if (!Files.isRegularFile(f)) {
          return null;
        }
      }
    }
    return read(f, registry);
  }

  static Credentials read(Path f, String registry) throws ModelsealException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(f)) {
      bytes = in.readNBytes(MAX_FILE + 1);
    } catch (IOException e) {
      throw ModelIoException.of(f, e);
    }
    if (bytes.length > MAX_FILE) {
      throw new ModelIoException(f, "larger than " + MAX_FILE + " bytes", null);
    }
    JsonNode auths;
    try {
      JsonNode root = StrictJson.parseObject(bytes);
      JsonNode a = root.get("auths");
      if (a == null || a.isNull()) {
        return null;
      }
      auths = StrictJson.object(root, "auths", "config");
    } catch (IllegalArgumentException e) {
      throw new ModelIoException(f, e.getMessage(), null);
    }
    for (Map.Entry<String, JsonNode> e : auths.properties()) {
      if (hostOf(e.getKey()).equals(registry.toLowerCase(Locale.ROOT))) {
        return entry(f, e.getKey(), e.getValue());
      }
    }
    return null;
  }

  private static Credentials entry(Path f, String key, JsonNode n) throws ModelIoException {
    if (!n.isObject()) {
      throw new ModelIoException(f, "auths entry must be an object", null);
    }
    JsonNode auth = n.get("auth");
    if (auth != null && auth.isTextual() && !auth.textValue().isEmpty()) {
      byte[] raw;
      try {
        raw = Base64.getDecoder().decode(auth.textValue().trim());
      } catch (IllegalArgumentException e) {
        throw new ModelIoException(f, "auths entry's auth is not base64", null);
      }
      String s = new String(raw, StandardCharsets.UTF_8);
      int colon = s.indexOf(':');
      if (colon <= 0) {
        throw new ModelIoException(f, "auths entry's auth is not user:password", null);
      }
      return new Credentials(s.substring(0, colon), s.substring(colon + 1).toCharArray());
    }
    JsonNode u = n.get("username");
    JsonNode p = n.get("password");
    if (u != null && u.isTextual() && p != null && p.isTextual()) {
      return new Credentials(u.textValue(), p.textValue().toCharArray());
    }
    return null;
  }

  /** {@code https://host:port/v1/} to {@code host:port}, lower-case. */
  static String hostOf(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    if (k.startsWith("https://")) {
      k = k.substring(8);
    } else if (k.startsWith("http://")) {
      k = k.substring(7);
    }
    int slash = k.indexOf('/');
    return slash < 0 ? k : k.substring(0, slash);
  }

  /** The {@code Authorization: Basic} value. */
  String basic() {
    String s = user + ":" + new String(password);
    return "Basic " + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "Credentials[" + user + ", ***]";
  }
}
