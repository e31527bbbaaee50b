package io.lifeboat.etcd.wal;

/** {@code walpb.Record} types (upstream {@code wal.go}). */
public enum WalRecordType {
  METADATA(1),
  ENTRY(2),
  STATE(3),
  CRC(4),
  SNAPSHOT(5);

  private final int code;

  WalRecordType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
