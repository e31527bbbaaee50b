package io.lifeboat.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.repository.StoreException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link SnapshotStore} promises (see its Javadoc), run against each backend. Subclasses
 * create a fresh, empty store per test and can plant foreign objects beside it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class SnapshotStoreContract {
  protected static final SnapshotName NAME = new SnapshotName("etcd-snapshot-2026-11-25T20-00-00Z");
  protected static final long MiB = 1024 * 1024;

  protected SnapshotStore store;

  /** A new empty store. */
  protected abstract SnapshotStore createStore() throws Exception;

  /** Writes an object the store did not write, with the given relative key, beside the store's objects. */
  protected abstract void putForeign(String relativeKey, byte[] content) throws Exception;

  /** Asserts that nothing of a failed upload remains in any form (temporary files, multipart uploads). */
  protected abstract void assertNoLeftovers() throws Exception;

  /** Bytes for a stream large enough to need several parts in a multipart store. */
  protected long multipartSize() {
    return 12 * MiB + 12345;
  }

  @BeforeEach
  void createStoreForTest() throws Exception {
    store = createStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private String read(SnapshotName name, ObjectKind kind) throws IOException {
    try (InputStream in = store.get(name, kind)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void check_onFreshLocation_passes() throws Exception {
    store.check();
  }

  @Test
  void put_thenGet_returnsTheSameBytesForEveryKind() throws Exception {
    for (ObjectKind kind : ObjectKind.values()) {
      store.put(NAME, kind, ObjectSource.ofBytes(bytes("content of " + kind)));
    }
    for (ObjectKind kind : ObjectKind.values()) {
      assertThat(read(NAME, kind)).isEqualTo("content of " + kind);
      assertThat(store.exists(NAME, kind)).isTrue();
    }
  }

  @Test
  void put_emptyObject_roundTrips() throws Exception {
    store.put(NAME, ObjectKind.DB, ObjectSource.ofBytes(new byte[0]));
    assertThat(read(NAME, ObjectKind.DB)).isEmpty();
    assertThat(store.list()).singleElement().extracting(StoredObject::size).isEqualTo(0L);
  }

  @Test
  void put_streamOfUnknownLengthSpanningSeveralParts_roundTrips() throws Exception {
    long size = multipartSize();
    store.put(NAME, ObjectKind.DB_ZSTD,
        ObjectSource.ofStream(TestStreams.generated(7, size), OptionalLong.empty()));

    assertThat(TestStreams.sha256(store.get(NAME, ObjectKind.DB_ZSTD)))
        .isEqualTo(TestStreams.sha256(TestStreams.generated(7, size)));
    assertThat(store.list()).singleElement().extracting(StoredObject::size).isEqualTo(size);
  }

  @Test
  void list_showsSnapshotObjectsSortedWithSizes_andIgnoresForeignObjects() throws Exception {
    SnapshotName other = new SnapshotName("rke_etcd_snapshot_2020-10-15T14:53:26Z");
    store.put(NAME, ObjectKind.DB_GZIP, ObjectSource.ofBytes(bytes("12345")));
    store.put(NAME, ObjectKind.METADATA, ObjectSource.ofBytes(bytes("{}")));
    store.put(other, ObjectKind.RKE_ZIP, ObjectSource.ofBytes(bytes("zip")));
    putForeign("notes.txt", bytes("not ours"));
    putForeign(".hidden.db", bytes("not a valid name"));
    putForeign("nested/deeper.db", bytes("in a sub-folder"));
    putForeign(".etcd-x.db.lifeboat-tmp-0123456789ab", bytes("a temporary file"));

    List<StoredObject> listed = store.list();

    assertThat(listed).extracting(StoredObject::fileName).containsExactly(
        "etcd-snapshot-2026-11-25T20-00-00Z.db.gz", "etcd-snapshot-2026-11-25T20-00-00Z.json",
        "rke_etcd_snapshot_2020-10-15T14:53:26Z.zip");
    assertThat(listed.get(0).size()).isEqualTo(5);
    assertThat(listed.get(0).kind()).isEqualTo(ObjectKind.DB_GZIP);
    assertThat(listed.get(2).name()).isEqualTo(other);
  }

  @Test
  void list_ofEmptyLocation_isEmpty() throws Exception {
    assertThat(store.list()).isEmpty();
  }

  @Test
  void put_existingObject_isRefusedAndKeepsTheOriginal() throws Exception {
    store.put(NAME, ObjectKind.DB, ObjectSource.ofBytes(bytes("original")));

    assertThatThrownBy(() -> store.put(NAME, ObjectKind.DB, ObjectSource.ofBytes(bytes("replacement"))))
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.ALREADY_EXISTS);
          assertThat(e.getMessage()).contains(NAME.value() + ".db").contains("never overwritten");
        });
    assertThat(read(NAME, ObjectKind.DB)).isEqualTo("original");
  }

  @Test
  void put_whenSourceFailsAfterSeveralParts_leavesNothingCompleteLooking() throws Exception {
    InputStream failing = TestStreams.failingAfter(TestStreams.generated(3, 20 * MiB), 11 * MiB);

    assertThatThrownBy(() -> store.put(NAME, ObjectKind.DB_ZSTD, ObjectSource.ofStream(failing,
        OptionalLong.empty())))
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.SOURCE_FAILED);
          assertThat(e.getMessage()).contains("simulated source failure").contains("nothing was stored");
        });
    assertThat(store.exists(NAME, ObjectKind.DB_ZSTD)).isFalse();
    assertThat(store.list()).isEmpty();
    assertNoLeftovers();
  }

  @Test
  void put_whenSourceFailsInTheFirstPart_leavesNothing() throws Exception {
    InputStream failing = TestStreams.failingAfter(TestStreams.generated(3, MiB), 1000);

    assertThatThrownBy(() -> store.put(NAME, ObjectKind.DB, ObjectSource.ofStream(failing, OptionalLong.of(MiB))))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SOURCE_FAILED));
    assertThat(store.list()).isEmpty();
    assertNoLeftovers();
  }

  @Test
  void put_whenSourceIsShorterThanAnnounced_storesNothing() throws Exception {
    assertThatThrownBy(() -> store.put(NAME, ObjectKind.DB,
        ObjectSource.ofStream(TestStreams.generated(1, 6 * MiB), OptionalLong.of(6 * MiB + 1))))
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.SOURCE_FAILED);
          assertThat(e.getMessage()).contains("delivered 6291456 bytes, expected 6291457");
        });
    assertThat(store.list()).isEmpty();
    assertNoLeftovers();
  }

  @Test
  void get_missingObject_isNotFound() {
    assertThatThrownBy(() -> store.get(NAME, ObjectKind.DB))
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
          assertThat(e.getMessage()).contains(NAME.value() + ".db");
        });
  }

  @Test
  void delete_removesOnlyThatObject_andReportsWhetherItExisted() throws Exception {
    store.put(NAME, ObjectKind.DB, ObjectSource.ofBytes(bytes("data")));
    store.put(NAME, ObjectKind.METADATA, ObjectSource.ofBytes(bytes("{}")));

    assertThat(store.delete(NAME, ObjectKind.METADATA)).isTrue();
    assertThat(store.delete(NAME, ObjectKind.METADATA)).isFalse();
    assertThat(store.exists(NAME, ObjectKind.METADATA)).isFalse();
    assertThat(store.list()).extracting(StoredObject::kind).containsExactly(ObjectKind.DB);
  }

  /** Runs with -Xmx128m (see the pom): a store that buffered the object would fail with OutOfMemoryError. */
  @Test
  void put_andGet_100MiBStream_withBoundedHeap() throws Exception {
    long size = 100 * MiB;
    store.put(NAME, ObjectKind.DB, ObjectSource.ofStream(TestStreams.generated(42, size), OptionalLong.of(size)));

    assertThat(Runtime.getRuntime().maxMemory()).isLessThan(size + 64 * MiB);
    assertThat(TestStreams.sha256(store.get(NAME, ObjectKind.DB)))
        .isEqualTo(TestStreams.sha256(TestStreams.generated(42, size)));
  }
}
