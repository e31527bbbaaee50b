/**
 * etcd cluster membership as a bootstrap or restore derives it: {@link io.lifeboat.etcd.membership.InitialCluster}
 * parses and checks {@code --initial-cluster} like etcd, {@link io.lifeboat.etcd.membership.MemberIds} computes member
 * and cluster IDs (unsigned 64-bit values in a {@code long}), and {@link io.lifeboat.etcd.membership.Member} writes the
 * member JSON exactly as Go's encoding/json does.
 */
package io.lifeboat.etcd.membership;
