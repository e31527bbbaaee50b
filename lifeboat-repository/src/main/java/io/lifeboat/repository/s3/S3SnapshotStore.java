package io.lifeboat.repository.s3;

import io.lifeboat.repository.ObjectKind;
import io.lifeboat.repository.ObjectSource;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.SnapshotStore;
import io.lifeboat.repository.StoreException;
import io.lifeboat.repository.StoreException.Reason;
import io.lifeboat.repository.StoredObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Snapshot objects in an S3 bucket under {@code folder/}. Uploads stream: an object that fits one
 * part is one PUT; a larger one (or one of unknown length) is a multipart upload of
 * {@link S3Config#partSize()} parts, {@link S3Config#concurrency()} in flight, memory bounded by {@code partSize * (concurrency + 1)}; on any failure the upload is aborted.
 * Every request body carries one checksum the server verifies: over plain HTTP the SigV4-signed
 * payload SHA-256 ({@code x-amz-content-sha256}, computed once per part with the CPU's SHA
 * instructions; the SDK's chunked signing is off, it cost twice the CPU of the whole upload), over
 * HTTPS, where the SDK sends an unsigned payload, Content-MD5.
 * Downloads stream and resume at the offset reached after a reset, pinned to the object's ETag.
 * Requests are retried by the SDK with exponential backoff up to {@link S3Config#maxAttempts()}.
 * See {@link SnapshotStore} for what survives failures.
 */
public final class S3SnapshotStore implements SnapshotStore {
  private static final String CONTENT_TYPE = "application/octet-stream";

  private final S3Config config;
  private final S3Client client;
  private final S3Errors errors;
  private final ExecutorService parts;
  /** HTTPS payloads are unsigned: they get Content-MD5 instead of the signed SHA-256. */
  private final boolean contentMd5;

  private S3SnapshotStore(S3Config config, S3Client client) {
    this.config = config;
    this.client = client;
    this.contentMd5 = !config.endpoint().map(e -> "http".equalsIgnoreCase(e.getScheme())).orElse(false);
    this.errors = new S3Errors(config);
    AtomicInteger threads = new AtomicInteger();
    this.parts = Executors.newFixedThreadPool(config.concurrency(), r -> {
      Thread t = new Thread(r, "lifeboat-s3-part-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Builds the client; talks to nothing yet (see {@link #check()}).
   *
   * @throws StoreException when the CA file cannot be read
   */
  public static S3SnapshotStore open(S3Config config) throws StoreException {
    Apache5HttpClient.Builder http = Apache5HttpClient.builder()
        .maxConnections(config.concurrency() * 2 + 4)
        .connectionTimeout(config.connectTimeout())
        .socketTimeout(config.socketTimeout());
    if (config.endpointCa().isPresent()) {
      TrustManager[] trust = trustManagers(config.endpointCa().get());
      http.tlsTrustManagersProvider(() -> trust);
    }
    AwsCredentialsProvider credentials = config.accessKey().isPresent()
        ? StaticCredentialsProvider.create(
            AwsBasicCredentials.create(config.accessKey().get(), config.secretKey().orElseThrow().reveal()))
        : DefaultCredentialsProvider.builder().build();
    BackoffStrategy backoff = BackoffStrategy.exponentialDelay(config.backoffBase(), config.backoffMax());
    RetryStrategy retry = AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .maxAttempts(config.maxAttempts())
        .backoffStrategy(backoff)
        .throttlingBackoffStrategy(backoff)
        .build();
    S3ClientBuilder builder = S3Client.builder()
        .httpClientBuilder(http)
        .region(Region.of(config.effectiveRegion()))
        .credentialsProvider(credentials)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .serviceConfiguration(c -> c.chunkedEncodingEnabled(false))
        .overrideConfiguration(o -> o.retryStrategy(retry));
    if (config.endpoint().isPresent()) {
      builder.endpointOverride(config.endpoint().get()).forcePathStyle(true);
    }
    return new S3SnapshotStore(config, builder.build());
  }

  private static TrustManager[] trustManagers(Path caFile) throws StoreException {
    try (InputStream in = Files.newInputStream(caFile)) {
      Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
          .generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new StoreException(Reason.OTHER, String.format(Locale.ROOT,
            "--s3-endpoint-ca %s holds no PEM certificate", caFile));
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : certificates) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers();
    } catch (IOException | GeneralSecurityException e) {
      throw new StoreException(Reason.OTHER, String.format(Locale.ROOT, "cannot read --s3-endpoint-ca %s: %s",
          caFile, e.getMessage()), e);
    }
  }

  public S3Config config() {
    return config;
  }

  /** For tests in this package: the underlying client. */
  S3Client client() {
    return client;
  }

  @Override
  public String location() {
    return config.location();
  }

  @Override
  public void check() throws StoreException {
    String operation = "checking bucket '" + config.bucket() + "'";
    try {
      client.headBucket(b -> b.bucket(config.bucket()));
    } catch (S3Exception e) {
      if (e.statusCode() != 403) {
        throw errors.map(operation, e, false);
      }
      // HEAD answers carry no error code; a listing says whether the credentials or the permissions are wrong.
      try {
        client.listObjectsV2(r -> r.bucket(config.bucket()).prefix(config.keyPrefix()).maxKeys(1));
      } catch (SdkException listing) {
        throw errors.map(operation, listing, false);
      }
    } catch (SdkException e) {
      throw errors.map(operation, e, false);
    }
  }

  String key(SnapshotName name, ObjectKind kind) {
    return config.keyPrefix() + kind.fileName(name);
  }

  @Override
  public void put(SnapshotName name, ObjectKind kind, ObjectSource source) throws StoreException {
    String key = key(name, kind);
    String operation = "uploading " + key;
    // The HEAD gives a clear early answer; If-None-Match on the final PUT/Complete closes the race.
    // Write-only credentials may not HEAD (403): then the conditional write alone refuses overwrites,
    // and the PUT's error body says precisely why a request was refused.
    try {
      client.headObject(r -> r.bucket(config.bucket()).key(key));
      throw new StoreException(Reason.ALREADY_EXISTS, String.format(Locale.ROOT,
          "%s: %s already exists in %s; snapshots are never overwritten", operation, kind.fileName(name),
          location()));
    } catch (NoSuchKeyException e) {
      // absent: go on
    } catch (S3Exception e) {
      if (e.statusCode() != 404 && e.statusCode() != 403) {
        throw errors.map(operation, e, true);
      }
    } catch (SdkException e) {
      throw errors.map(operation, e, true);
    }
    OptionalLong expected = source.length();
    InputStream in;
    try {
      in = source.open();
    } catch (IOException e) {
      throw sourceFailed(operation, 0, e);
    }
    try (in) {
      int firstSize = expected.isPresent() ? (int) Math.min(config.partSize(), expected.getAsLong() + 1)
          : config.partSize();
      byte[] first = new byte[firstSize];
      int n = readFully(in, first, operation, 0);
      if (n < first.length) {
        checkLength(operation, expected, n);
        putSingle(key, operation, first, n);
      } else {
        putMultipart(key, operation, in, first, n, expected);
      }
    } catch (IOException e) {
      if (e instanceof StoreException se) {
        throw se;
      }
      throw sourceFailed(operation, -1, e); // closing the source failed
    }
  }

  private void putSingle(String key, String operation, byte[] data, int length) throws StoreException {
    try {
      toTheEnd(() -> client.putObject(r -> r.bucket(config.bucket()).key(key).contentLength((long) length)
              .contentType(CONTENT_TYPE).contentMD5(contentMd5 ? md5(data, length) : null).ifNoneMatch("*"),
          RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, 0, length), length, CONTENT_TYPE)));
    } catch (SdkException e) {
      throw errors.map(operation, e, false);
    }
  }

  private void putMultipart(String key, String operation, InputStream in, byte[] first, int firstLength,
      OptionalLong expected) throws StoreException {
    String uploadId;
    try {
      // Cut short, the server could have made the upload while its id went with the response.
      uploadId = toTheEnd(() -> client.createMultipartUpload(r -> r.bucket(config.bucket()).key(key)
          .contentType(CONTENT_TYPE)).uploadId());
    } catch (SdkException e) {
      throw errors.map(operation, e, false);
    }
    int maxBuffers = config.concurrency() + 1;
    BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(maxBuffers);
    AtomicReference<StoreException> failure = new AtomicReference<>();
    List<Future<CompletedPart>> futures = new ArrayList<>();
    Semaphore finished = new Semaphore(0);
    AtomicBoolean cancelled = new AtomicBoolean();
    boolean completed = false;
    try {
      int allocated = 1;
      byte[] buffer = first;
      int length = firstLength;
      long total = firstLength;
      int partNumber = 1;
      while (true) {
        futures.add(submitPart(key, operation, uploadId, partNumber, buffer, length, free, failure, finished,
            cancelled));
        if (length < config.partSize()) {
          break;
        }
        byte[] next = free.poll();
        if (next == null && allocated < maxBuffers) {
          next = new byte[config.partSize()];
          allocated++;
        }
        while (next == null) {
          throwIfFailed(failure);
          next = free.poll(100, TimeUnit.MILLISECONDS);
        }
        throwIfFailed(failure);
        length = readFully(in, next, operation, total);
        if (length == 0) {
          break;
        }
        total += length;
        buffer = next;
        partNumber++;
      }
      List<CompletedPart> done = new ArrayList<>();
      for (Future<CompletedPart> f : futures) {
        done.add(f.get());
      }
      checkLength(operation, expected, total);
      try {
        toTheEnd(() -> client.completeMultipartUpload(r -> r.bucket(config.bucket()).key(key).uploadId(uploadId)
            .ifNoneMatch("*").multipartUpload(m -> m.parts(done))));
      } catch (SdkException e) {
        throw errors.map(operation, e, false);
      }
      completed = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(Reason.OTHER, operation + ": interrupted; the upload was aborted", e);
    } catch (ExecutionException e) {
      StoreException f = failure.get();
      throw f != null ? f : new StoreException(Reason.OTHER, operation + ": " + e.getCause(), e.getCause());
    } finally {
      if (!completed) {
        // Parts not yet started are skipped; running ones end (their retries are bounded) before the
        // abort, so no part can land after it and leave an incomplete upload behind. An interrupted
        // upload (a server shutting down) is aborted too: the SDK refuses requests from an interrupted
        // thread, so the flag is cleared for the wait and the abort, then restored.
        cancelled.set(true);
        boolean interrupted = Thread.interrupted();
        interrupted |= awaitUninterruptibly(finished, futures.size(),
            interrupted ? PARTS_AFTER_INTERRUPT : PARTS_AFTER_FAILURE);
        try {
          abort(key, uploadId);
        } finally {
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }
  }

  /**
   * Runs a short request whose effect must not be lost half-way (creating a multipart upload, a small
   * object's put, a multipart upload's completion) on a part thread, and waits for it even if this
   * thread is interrupted meanwhile (Ctrl-C, a server shutting down): cut short by the SDK's interrupt
   * checks, it could leave an upload nobody knows the id of, or a data object without its metadata.
   * The interrupt is kept for the caller.
   */
  private <T> T toTheEnd(Supplier<T> request) {
    Future<T> running = parts.submit(request::get);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return running.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException r) {
            throw r;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** How long a failed upload waits for its running parts before the abort. */
  private static final Duration PARTS_AFTER_FAILURE = Duration.ofMinutes(10);
  /** The same when interrupted: whoever interrupted is waiting for the clean-up. */
  private static final Duration PARTS_AFTER_INTERRUPT = Duration.ofSeconds(15);

  /** Acquires {@code permits} within {@code max}, or gives up; returns whether it was interrupted. */
  private static boolean awaitUninterruptibly(Semaphore semaphore, int permits, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    boolean interrupted = false;
    while (true) {
      try {
        semaphore.tryAcquire(permits, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return interrupted;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
  }

  private Future<CompletedPart> submitPart(String key, String operation, String uploadId, int partNumber,
      byte[] buffer, int length, BlockingQueue<byte[]> free, AtomicReference<StoreException> failure,
      Semaphore finished, AtomicBoolean cancelled) {
    return parts.submit(() -> {
      try {
        if (cancelled.get()) {
          throw new CancellationException("upload aborted");
        }
        String etag = client.uploadPart(r -> r.bucket(config.bucket()).key(key).uploadId(uploadId)
                .partNumber(partNumber).contentLength((long) length)
                .contentMD5(contentMd5 ? md5(buffer, length) : null),
            RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length,
                CONTENT_TYPE)).eTag();
        return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
      } catch (SdkException e) {
        StoreException mapped = errors.map(operation + " (part " + partNumber + ")", e, false);
        failure.compareAndSet(null, mapped);
        throw mapped;
      } catch (RuntimeException e) {
        failure.compareAndSet(null, new StoreException(Reason.OTHER, operation + ": " + e, e));
        throw e;
      } finally {
        free.offer(buffer);
        finished.release();
      }
    });
  }

  private static void throwIfFailed(AtomicReference<StoreException> failure) throws StoreException {
    StoreException f = failure.get();
    if (f != null) {
      throw f;
    }
  }

  private void abort(String key, String uploadId) {
    try {
      client.abortMultipartUpload(r -> r.bucket(config.bucket()).key(key).uploadId(uploadId));
    } catch (SdkException e) {
      // The parts stay invisible as objects; a bucket lifecycle rule removes incomplete uploads.
    }
  }

  private static int readFully(InputStream in, byte[] buffer, String operation, long offset) throws StoreException {
    int n = 0;
    try {
      while (n < buffer.length) {
        int r = in.read(buffer, n, buffer.length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
    } catch (IOException e) {
      throw sourceFailed(operation, offset + n, e);
    }
    return n;
  }

  private static void checkLength(String operation, OptionalLong expected, long actual) throws StoreException {
    if (expected.isPresent() && expected.getAsLong() != actual) {
      throw new StoreException(Reason.SOURCE_FAILED, String.format(Locale.ROOT,
          "%s: the source delivered %d bytes, expected %d; nothing was stored", operation, actual,
          expected.getAsLong()));
    }
  }

  private static StoreException sourceFailed(String operation, long offset, IOException e) {
    return new StoreException(Reason.SOURCE_FAILED, String.format(Locale.ROOT,
        "%s: reading the source failed%s (%s); nothing was stored", operation,
        offset >= 0 ? " after " + offset + " bytes" : "", S3Errors.truncate(e.getMessage())), e);
  }

  static String md5(byte[] data, int length) {
    try {
      MessageDigest md = MessageDigest.getInstance("MD5");
      md.update(data, 0, length);
      return Base64.getEncoder().encodeToString(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is always available", e);
    }
  }

  /**
   * Opens an object. One that fits in two parts is one streamed GET; a larger one is fetched as
   * ranged GETs, {@link S3Config#concurrency()} parts ahead of the reader (memory about
   * {@code partSize * (concurrency + 1)}), every range pinned to the ETag seen first.
   */
  @Override
  public InputStream get(SnapshotName name, ObjectKind kind) throws StoreException {
    String key = key(name, kind);
    String operation = "downloading " + key;
    try {
      HeadObjectResponse head = client.headObject(r -> r.bucket(config.bucket()).key(key));
      long size = head.contentLength() == null ? -1 : head.contentLength();
      if (size > 2L * config.partSize() && config.concurrency() > 1) {
        return new ParallelDownload(key, operation, head.eTag(), size);
      }
      ResponseInputStream<GetObjectResponse> stream = client.getObject(r -> {
        r.bucket(config.bucket()).key(key);
        if (head.eTag() != null) {
          r.ifMatch(head.eTag());
        }
      });
      GetObjectResponse response = stream.response();
      return new ResumingInputStream(stream, key, operation, response.eTag(), response.contentLength());
    } catch (S3Exception e) {
      if (e.statusCode() == 412) {
        throw changedWhileReading(operation, e);
      }
      throw errors.map(operation, e, true);
    } catch (SdkException e) {
      throw errors.map(operation, e, true);
    }
  }

  private static StoreException changedWhileReading(String operation, Exception cause) {
    return new StoreException(Reason.OTHER, String.format(Locale.ROOT,
        "%s: the object changed while it was being read; read it again", operation), cause);
  }

  /** A downloaded range: the first {@code length} bytes of a pooled buffer. */
  private record Range(byte[] buffer, int length) {}

  /**
   * Ranged GETs in parallel, delivered in order. At most {@code concurrency + 1} part buffers exist
   * (those in flight and the one being read), reused from part to part: allocating a new one per
   * part made the collector and the kernel zero a snapshot's worth of memory.
   */
  private final class ParallelDownload extends InputStream {
    private final String key;
    private final String operation;
    private final String etag;
    private final long size;
    private final int partCount;
    private final java.util.ArrayDeque<Future<Range>> ahead = new java.util.ArrayDeque<>();
    private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> pool =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    private int nextToSubmit;
    private Range current = new Range(new byte[0], 0);
    private int offset;
    private boolean closed;

    ParallelDownload(String key, String operation, String etag, long size) {
      this.key = key;
      this.operation = operation;
      this.etag = etag;
      this.size = size;
      this.partCount = (int) ((size + config.partSize() - 1) / config.partSize());
      while (nextToSubmit < partCount && ahead.size() < config.concurrency()) {
        submitNext();
      }
    }

    private void submitNext() {
      int part = nextToSubmit++;
      long start = (long) part * config.partSize();
      long end = Math.min(size, start + config.partSize()) - 1;
      ahead.add(parts.submit(() -> fetch(start, end)));
    }

    private Range fetch(long start, long end) throws StoreException {
      int length = (int) (end - start + 1);
      byte[] pooled = pool.poll();
      byte[] buffer = pooled != null && pooled.length >= length ? pooled : new byte[config.partSize()];
      int filled = 0;
      int failures = 0;
      while (filled < length) {
        long from = start + filled;
        try (ResponseInputStream<GetObjectResponse> in = client.getObject(r -> {
          r.bucket(config.bucket()).key(key).range("bytes=" + from + "-" + end);
          if (etag != null) {
            r.ifMatch(etag);
          }
        })) {
          int n;
          while (filled < length && (n = in.read(buffer, filled, length - filled)) >= 0) {
            filled += n;
          }
          if (filled < length) {
            throw new IOException(String.format(Locale.ROOT, "connection closed at byte %d of %d", start + filled,
                size));
          }
        } catch (S3Exception e) {
          if (e.statusCode() == 412) {
            throw changedWhileReading(operation, e);
          }
          throw errors.map(operation + " (bytes " + from + "-" + end + ")", e, true);
        } catch (SdkException e) {
          throw errors.map(operation + " (bytes " + from + "-" + end + ")", e, true);
        } catch (IOException e) {
          // The response body broke off: ask again for the rest of this range.
          if (++failures >= config.maxAttempts()) {
            throw new StoreException(Reason.TRANSIENT, String.format(Locale.ROOT,
                "%s: reading bytes %d-%d failed %d times (%s)", operation, from, end, failures,
                S3Errors.truncate(e.getMessage())), e);
          }
        }
      }
      return new Range(buffer, length);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("stream closed");
      }
      if (len == 0) {
        return 0;
      }
      while (offset == current.length()) {
        if (ahead.isEmpty()) {
          return -1;
        }
        if (current.buffer().length > 0) {
          pool.offer(current.buffer());
        }
        current = next();
        offset = 0;
      }
      int n = Math.min(len, current.length() - offset);
      System.arraycopy(current.buffer(), offset, b, off, n);
      offset += n;
      return n;
    }

    private Range next() throws IOException {
      Future<Range> f = ahead.poll();
      if (nextToSubmit < partCount) {
        submitNext();
      }
      try {
        return f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(operation + ": interrupted", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof StoreException se) {
          throw se;
        }
        throw new StoreException(Reason.OTHER, operation + ": " + e.getCause(), e.getCause());
      }
    }

    @Override
    public void close() {
      closed = true;
      ahead.forEach(f -> f.cancel(true));
      ahead.clear();
      pool.clear();
      current = new Range(new byte[0], 0);
    }
  }

  @Override
  public boolean exists(SnapshotName name, ObjectKind kind) throws StoreException {
    String key = key(name, kind);
    return exists(key, "looking up " + key);
  }

  private boolean exists(String key, String operation) throws StoreException {
    try {
      client.headObject(r -> r.bucket(config.bucket()).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw errors.map(operation, e, true);
    } catch (SdkException e) {
      throw errors.map(operation, e, true);
    }
  }

  @Override
  public List<StoredObject> list() throws StoreException {
    String prefix = config.keyPrefix();
    List<StoredObject> result = new ArrayList<>();
    try {
      for (S3Object o : client.listObjectsV2Paginator(r -> r.bucket(config.bucket()).prefix(prefix).delimiter("/"))
          .contents()) {
        String rest = o.key().substring(prefix.length());
        if (rest.contains("/")) {
          continue;
        }
        Optional<ObjectKind.Entry> entry = ObjectKind.parse(rest);
        if (entry.isPresent()) {
          result.add(new StoredObject(entry.get().name(), entry.get().kind(), o.size() == null ? 0 : o.size(),
              o.lastModified() == null ? Instant.EPOCH : o.lastModified()));
        }
      }
    } catch (SdkException e) {
      throw errors.map("listing " + location(), e, false);
    }
    result.sort(Comparator.comparing(StoredObject::fileName));
    return result;
  }

  @Override
  public boolean delete(SnapshotName name, ObjectKind kind) throws StoreException {
    String key = key(name, kind);
    String operation = "deleting " + key;
    if (!exists(key, operation)) {
      return false;
    }
    try {
      client.deleteObject(r -> r.bucket(config.bucket()).key(key));
      return true;
    } catch (SdkException e) {
      throw errors.map(operation, e, true);
    }
  }

  @Override
  public void close() {
    parts.shutdownNow();
    client.close();
  }

  /**
   * A download that survives resets and stalls: after an I/O failure it asks again for the rest
   * ({@code Range: bytes=N-}, {@code If-Match: etag}) up to {@code maxAttempts} times in a row.
   */
  private final class ResumingInputStream extends InputStream {
    private final String key;
    private final String operation;
    private final String etag;
    private final long length;
    private ResponseInputStream<GetObjectResponse> current;
    private long position;
    private int failuresInARow;
    private boolean closed;

    ResumingInputStream(ResponseInputStream<GetObjectResponse> first, String key, String operation, String etag,
        Long length) {
      this.current = first;
      this.key = key;
      this.operation = operation;
      this.etag = etag;
      this.length = length == null ? -1 : length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("stream closed");
      }
      if (len == 0) {
        return 0;
      }
      while (true) {
        IOException problem;
        try {
          int n = current.read(b, off, len);
          if (n > 0) {
            position += n;
            failuresInARow = 0;
            return n;
          }
          if (n < 0 && (length < 0 || position >= length)) {
            return -1;
          }
          problem = new IOException(String.format(Locale.ROOT, "connection closed after %d of %d bytes",
              position, length));
        } catch (IOException e) {
          problem = e;
        }
        resume(problem);
      }
    }

    private void resume(IOException problem) throws IOException {
      failuresInARow++;
      current.abort();
      if (failuresInARow >= config.maxAttempts()) {
        throw new StoreException(Reason.TRANSIENT, String.format(Locale.ROOT,
            "%s: the download failed %d times in a row at byte %d (%s)", operation, failuresInARow, position,
            S3Errors.truncate(problem.getMessage())), problem);
      }
      try {
        Thread.sleep(Math.min(config.backoffMax().toMillis(), config.backoffBase().toMillis() << failuresInARow));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(operation + ": interrupted", e);
      }
      try {
        current = client.getObject(r -> {
          r.bucket(config.bucket()).key(key).range("bytes=" + position + "-");
          if (etag != null) {
            r.ifMatch(etag);
          }
        });
      } catch (SdkException e) {
        StoreException mapped = errors.map(operation + " (resuming at byte " + position + ")", e, true);
        if (e instanceof S3Exception s3 && s3.statusCode() == 412) {
          throw new StoreException(Reason.OTHER, String.format(Locale.ROOT,
              "%s: the object changed while it was being read; read it again", operation), e);
        }
        throw mapped;
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        if (length >= 0 && position < length) {
          current.abort();
        }
        try {
          current.close();
        } catch (IOException e) {
          // nothing to release beyond the connection, which abort() dropped
        }
      }
    }
  }
}
