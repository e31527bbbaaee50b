package io.lifeboat.repository;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Generated test data that never sits in memory whole, and digests of streams. */
public final class TestStreams {
  private TestStreams() {}

  /** {@code length} pseudo-random bytes from {@code seed}, generated while read. */
  public static InputStream generated(long seed, long length) {
    return new InputStream() {
      private final SplittableRandom random = new SplittableRandom(seed);
      private long remaining = length;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (remaining == 0) {
          return -1;
        }
        int n = (int) Math.min(len, remaining);
        for (int i = 0; i < n; i++) {
          b[off + i] = (byte) random.nextInt(256);
        }
        remaining -= n;
        return n;
      }
    };
  }

  /** A stream of {@code delegate}'s bytes that fails with an IOException after {@code failAfter} bytes. */
  public static InputStream failingAfter(InputStream delegate, long failAfter) {
    return new InputStream() {
      private long position;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (position >= failAfter) {
          throw new IOException("simulated source failure at byte " + position);
        }
        int n = delegate.read(b, off, (int) Math.min(len, failAfter - position));
        if (n > 0) {
          position += n;
        }
        return n;
      }
    };
  }

  public static String sha256(InputStream in) throws IOException {
    try (in) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        md.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
