package io.lifeboat.testkit;

/** What a leaf certificate may be used for (its extended key usage). */
public enum CertificateUsage {
  /**
   * TLS server and client: etcd members present the same certificate when they serve and when they
   * dial their peers, so member certificates carry both usages.
   */
  SERVER,
  /** TLS client only: etcdctl, jetcd and Lifeboat itself. */
  CLIENT
}
