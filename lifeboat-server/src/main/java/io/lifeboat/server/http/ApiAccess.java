package io.lifeboat.server.http;

import io.lifeboat.server.config.HttpSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may use {@code /api/}: holders of the bearer token, everyone (unauthenticated loopback), or
 * no one (no token configured). Only the token's SHA-256 is kept, so neither a heap dump nor a
 * {@code toString} shows it, and comparing digests takes the same time whatever the token's length.
 */
final class ApiAccess {
  private static final String SCHEME = "bearer";
  /** Enough for any sensible token; a longer first line is a wrong file. */
  private static final int MAX_TOKEN_CHARS = 4096;

  private final byte[] tokenDigest;
  private final boolean open;

  private ApiAccess(byte[] tokenDigest, boolean open) {
    this.tokenDigest = tokenDigest;
    this.open = open;
  }

  /**
   * @throws IOException when the token file is missing, unreadable, empty or not UTF-8; the message
   *     names the file, never its content
   */
  static ApiAccess from(HttpSettings settings) throws IOException {
    Objects.requireNonNull(settings, "settings");
    if (settings.tokenFile().isPresent()) {
      return new ApiAccess(sha256(readToken(settings.tokenFile().get())), false);
    }
    return new ApiAccess(new byte[0], settings.allowUnauthenticatedLoopback());
  }

  /**
   * @param authorization the values of the request's {@code Authorization} header (null or empty
   *     when absent)
   */
  boolean allows(List<String> authorization) {
    if (open) {
      return true;
    }
    if (tokenDigest.length == 0 || authorization == null || authorization.size() != 1) {
      return false;
    }
    String value = authorization.get(0).strip();
    int space = value.indexOf(' ');
    if (space <= 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals(SCHEME)) {
      return false;
    }
    String presented = value.substring(space + 1).strip();
    return !presented.isEmpty()
        && MessageDigest.isEqual(tokenDigest, sha256(presented));
  }

  private static String readToken(Path file) throws IOException {
    Optional<String> line;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      line = firstLine(reader);
    } catch (NoSuchFileException e) {
      throw new IOException(problem(file, "does not exist"), e);
    } catch (AccessDeniedException e) {
      throw new IOException(problem(file, "cannot be read: permission denied"), e);
    } catch (CharacterCodingException e) {
      // The decoder's message says nothing of the bytes, but keep it out anyway.
      throw new IOException(problem(file, "is not UTF-8 text"));
    } catch (IOException e) {
      throw new IOException(problem(file, "cannot be read (" + e.getMessage() + ")"), e);
    }
    if (line.isEmpty()) {
      throw new IOException(problem(file, "has a first line longer than " + MAX_TOKEN_CHARS + " characters"));
    }
    String token = line.get().strip();
    if (token.isEmpty()) {
      throw new IOException(problem(file, "is empty; its first line must hold the token"));
    }
    return token;
  }

  /**
   * The first line without its line break (empty when the file is), or empty when the line is longer
   * than {@value #MAX_TOKEN_CHARS} characters: a huge file is never read whole.
   */
  private static Optional<String> firstLine(BufferedReader reader) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = reader.read(); c >= 0 && c != '\n' && c != '\r'; c = reader.read()) {
      if (line.length() == MAX_TOKEN_CHARS) {
        return Optional.empty();
      }
      line.append((char) c);
    }
    return Optional.of(line.toString());
  }

  private static String problem(Path file, String what) {
    return String.format(Locale.ROOT, "API token file %s %s", file, what);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return open ? "ApiAccess[open]" : tokenDigest.length == 0 ? "ApiAccess[closed]" : "ApiAccess[token=***]";
  }
}
