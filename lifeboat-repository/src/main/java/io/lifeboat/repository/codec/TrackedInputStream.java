package io.lifeboat.repository.codec;

import io.lifeboat.repository.IntegrityException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Remembers the I/O failures of the stream it wraps, so a decoder's error can be told apart: a
 * failure of the underlying store or file is passed on as is, anything else the decoder throws
 * means the data is corrupt ({@link IntegrityException}).
 */
public final class TrackedInputStream extends FilterInputStream {
  private volatile IOException lastFailure;

  public TrackedInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    try {
      return super.read();
    } catch (IOException e) {
      lastFailure = e;
      throw e;
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return in.read(b, off, len);
    } catch (IOException e) {
      lastFailure = e;
      throw e;
    }
  }

  @Override
  public long skip(long n) throws IOException {
    try {
      return super.skip(n);
    } catch (IOException e) {
      lastFailure = e;
      throw e;
    }
  }

  /** The last failure of the wrapped stream, if it failed. */
  public java.util.Optional<IOException> failure() {
    return java.util.Optional.ofNullable(lastFailure);
  }

  /** {@code e} as is when it came from the wrapped stream; otherwise an IntegrityException. */
  public IOException classify(IOException e, String what) {
    IOException source = lastFailure;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t == source) {
        return e;
      }
    }
    if (e instanceof IntegrityException) {
      return e;
    }
    return new IntegrityException(what + ": " + e.getMessage(), e);
  }

  /** Wraps a decoder reading from this stream so its errors are {@link #classify classified}. */
  public InputStream guard(InputStream decoder, String what) {
    return new FilterInputStream(decoder) {
      @Override
      public int read() throws IOException {
        try {
          return in.read();
        } catch (IOException e) {
          throw classify(e, what);
        }
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return in.read(b, off, len);
        } catch (IOException e) {
          throw classify(e, what);
        }
      }

      @Override
      public long skip(long n) throws IOException {
        try {
          return in.skip(n);
        } catch (IOException e) {
          throw classify(e, what);
        }
      }
    };
  }
}
