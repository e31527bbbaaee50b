package io.lifeboat.bbolt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.golden.GoldenSnapshots;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetaSelectionTest {
  private static final int P = 4096;

  @TempDir
  Path dir;

  private Path write(byte[] bytes) throws Exception {
    return Files.write(dir.resolve("snap.db"), bytes);
  }

  private static byte[] small() {
    return GoldenSnapshots.bytes("etcd-3.5-small");
  }

  @Test
  void open_newerMetaChecksumCorrupt_fallsBackToTheOlderMeta() throws Exception {
    byte[] b = small();
    long txid = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(16 + 48);
    b[16 + 56] ^= 0x01;
    try (BoltFile db = BoltFile.open(write(b))) {
      assertThat(db.meta().pageId()).isEqualTo(1);
      assertThat(db.meta().txid()).isEqualTo(txid - 1);
      assertThat(Walk.countTopLevelBucketEntries(db)).isEqualTo(14);
    }
  }

  @Test
  void open_olderMetaHasHigherTxid_choosesByTxidNotByPage() throws Exception {
    byte[] b = small();
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    long txid = bb.getLong(16 + 48);
    bb.putLong(P + 16 + 48, txid + 5);
    TestBoltBuilder.resealMeta(b, 1, P);
    try (BoltFile db = BoltFile.open(write(b))) {
      assertThat(db.meta().pageId()).isEqualTo(1);
      assertThat(db.meta().txid()).isEqualTo(txid + 5);
    }
  }

  @Test
  void open_bothMetasCorrupt_listsWhyEachWasRejected() throws Exception {
    byte[] b = small();
    b[16 + 60] ^= 0x01;
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(P + 16 + 4, 3);
    assertThatThrownBy(() -> BoltFile.open(write(b)))
        .isInstanceOf(CorruptFileException.class)
        .hasMessageStartingWith("snap.db: no valid meta page: meta page 0 (offset 0) has checksum 0x")
        .hasMessageContaining("meta page 1 (offset 4096) has version 3 (expected 2)");
  }

  @Test
  void open_wrongMagic_isNotABboltDatabase() throws Exception {
    byte[] b = new byte[3 * P];
    java.util.Arrays.fill(b, (byte) 'x');
    assertThatThrownBy(() -> BoltFile.open(write(b)))
        .isInstanceOf(CorruptFileException.class)
        .hasMessageStartingWith("snap.db: not a bbolt database (bad magic 0x78787878");
  }

  @Test
  void open_pageSizeNotAPowerOfTwo_isRejected() throws Exception {
    byte[] b = small();
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    bb.putInt(16 + 8, 3000);
    TestBoltBuilder.resealMeta(b, 0, P);
    bb.putInt(P + 16 + 8, 3000);
    TestBoltBuilder.resealMeta(b, 1, P);
    assertThatThrownBy(() -> BoltFile.open(write(b)))
        .isInstanceOf(CorruptFileException.class)
        .hasMessageContaining("page size 3000 (expected a power of two in [1024, 65536])");
  }

  @Test
  void open_rootPageOutOfRange_isRejected() throws Exception {
    byte[] b = small();
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 2; i++) {
      bb.putLong(i * P + 16 + 16, 1);
      TestBoltBuilder.resealMeta(b, i, P);
    }
    assertThatThrownBy(() -> BoltFile.open(write(b)))
        .isInstanceOf(CorruptFileException.class)
        .hasMessageContaining("has root page 1 outside the image (expected 2..4)");
  }

  @Test
  void open_freelistNamingALeafPage_isAccepted() throws Exception {
    byte[] b = small();
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    long root = bb.getLong(16 + 16);
    for (int i = 0; i < 2; i++) {
      bb.putLong(i * P + 16 + 32, root);
      TestBoltBuilder.resealMeta(b, i, P);
    }
    try (BoltFile db = BoltFile.open(write(b))) {
      assertThat(db.meta().freelistPageId()).isEqualTo(root);
      assertThat(Walk.countTopLevelBucketEntries(db)).isEqualTo(14);
    }
  }
}
