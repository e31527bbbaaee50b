package io.lifeboat.repository;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bytes to store. {@link #open()} may be called again to retry a whole upload from the start
 * when {@link #replayable()}; a one-shot stream (for example the etcd snapshot stream, compressed on
 * the fly) can be opened once. The length, when known, is checked: a source that delivers a
 * different number of bytes fails the upload and stores nothing.
 */
public interface ObjectSource {
  InputStream open() throws IOException;

  OptionalLong length();

  boolean replayable();

  static ObjectSource ofFile(Path file) {
    Objects.requireNonNull(file, "file");
    return new ObjectSource() {
      @Override
      public InputStream open() throws IOException {
        return Files.newInputStream(file);
      }

      @Override
      public OptionalLong length() {
        try {
          return OptionalLong.of(Files.size(file));
        } catch (IOException e) {
          return OptionalLong.empty();
        }
      }

      @Override
      public boolean replayable() {
        return true;
      }
    };
  }

  static ObjectSource ofBytes(byte[] bytes) {
    byte[] copy = bytes.clone();
    return new ObjectSource() {
      @Override
      public InputStream open() {
        return new ByteArrayInputStream(copy);
      }

      @Override
      public OptionalLong length() {
        return OptionalLong.of(copy.length);
      }

      @Override
      public boolean replayable() {
        return true;
      }
    };
  }

  /** A stream that can be read once; {@code length} empty when unknown. The store closes it. */
  static ObjectSource ofStream(InputStream stream, OptionalLong length) {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(length, "length");
    AtomicBoolean opened = new AtomicBoolean();
    return new ObjectSource() {
      @Override
      public InputStream open() throws IOException {
        if (!opened.compareAndSet(false, true)) {
          throw new IOException("a one-shot stream source was opened twice; it cannot be retried");
        }
        return stream;
      }

      @Override
      public OptionalLong length() {
        return length;
      }

      @Override
      public boolean replayable() {
        return false;
      }
    };
  }
}
