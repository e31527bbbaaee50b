package io.lifeboat.client;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * etcd's gRPC methods Lifeboat calls and the fields of their messages, by the numbers in etcd's
 * {@code rpc.proto} (3.4-3.6), read with {@link ProtoReader}. Fields we do not use are skipped,
 * so newer servers' additions do no harm.
 */
final class EtcdMessages {
  static final String STATUS = "/etcdserverpb.Maintenance/Status";
  static final String SNAPSHOT = "/etcdserverpb.Maintenance/Snapshot";
  static final String MEMBER_LIST = "/etcdserverpb.Cluster/MemberList";
  static final String AUTHENTICATE = "/etcdserverpb.Auth/Authenticate";
  static final String LEASE_GRANT = "/etcdserverpb.Lease/LeaseGrant";
  /** A bidirectional stream; one request and our end of the stream make one renewal. */
  static final String LEASE_KEEP_ALIVE = "/etcdserverpb.Lease/LeaseKeepAlive";
  static final String LEASE_REVOKE = "/etcdserverpb.Lease/LeaseRevoke";
  static final String CAMPAIGN = "/v3electionpb.Election/Campaign";
  static final String RESIGN = "/v3electionpb.Election/Resign";
  /** StatusRequest, MemberListRequest (linearizable false) and SnapshotRequest: no fields set. */
  static final byte[] EMPTY_REQUEST = new byte[0];

  private EtcdMessages() {}

  /** The ids in a ResponseHeader (cluster_id = 1, member_id = 2). */
  private record Header(long clusterId, long memberId) {}

  static byte[] authenticateRequest(String name, String password) {
    return new ProtoWriter().string(1, name).string(2, password).toByteArray();
  }

  /** AuthenticateResponse: token = 2. */
  static String token(ByteBuffer message) throws GrpcException {
    ProtoReader reader = new ProtoReader("AuthenticateResponse", message);
    String token = "";
    for (int field; (field = reader.nextField()) != -1; ) {
      if (field == 2) {
        token = reader.readString();
      } else {
        reader.skip();
      }
    }
    return token;
  }

  /**
   * StatusResponse: header = 1, version = 2, dbSize = 3, leader = 4, raftIndex = 5, raftTerm =
   * 6, errors = 8 (3.4+).
   */
  static MemberStatus status(URI endpoint, ByteBuffer message) throws GrpcException {
    ProtoReader reader = new ProtoReader("StatusResponse", message);
    Header header = new Header(0, 0);
    String version = "";
    long dbSize = 0;
    long leader = 0;
    long raftIndex = 0;
    long raftTerm = 0;
    List<String> errors = new ArrayList<>();
    for (int field; (field = reader.nextField()) != -1; ) {
      switch (field) {
        case 1 -> header = header(reader.readBytes());
        case 2 -> version = reader.readString();
        case 3 -> dbSize = reader.readUint64();
        case 4 -> leader = reader.readUint64();
        case 5 -> raftIndex = reader.readUint64();
        case 6 -> raftTerm = reader.readUint64();
        case 8 -> errors.add(reader.readString());
        default -> reader.skip();
      }
    }
    return new MemberStatus(
        endpoint, header.memberId(), header.clusterId(), leader, raftIndex, raftTerm, dbSize, version, errors);
  }

  /** MemberListResponse: members = 2; Member: ID = 1, name = 2, peerURLs = 3, clientURLs = 4, isLearner = 5. */
  static List<Member> members(ByteBuffer message) throws GrpcException {
    ProtoReader reader = new ProtoReader("MemberListResponse", message);
    List<Member> members = new ArrayList<>();
    for (int field; (field = reader.nextField()) != -1; ) {
      if (field == 2) {
        members.add(member(reader.readBytes()));
      } else {
        reader.skip();
      }
    }
    return List.copyOf(members);
  }

  /** SnapshotResponse: blob = 3, a view of {@code message}; empty when the field is absent. */
  static ByteBuffer blob(ByteBuffer message) throws GrpcException {
    ProtoReader reader = new ProtoReader("SnapshotResponse", message);
    ByteBuffer blob = ByteBuffer.allocate(0);
    for (int field; (field = reader.nextField()) != -1; ) {
      if (field == 3) {
        blob = reader.readBytes();
      } else {
        reader.skip();
      }
    }
    return blob;
  }

  /** LeaseGrantRequest: TTL = 1 (seconds); the server picks the id. */
  static byte[] leaseGrantRequest(long ttlSeconds) {
    return new ProtoWriter().int64(1, ttlSeconds).toByteArray();
  }

  /** LeaseGrantResponse: ID = 2, error = 4. */
  static long grantedLease(ByteBuffer message) throws GrpcException {
    ProtoReader reader = new ProtoReader("LeaseGrantResponse", message);
    long id = 0;
    String error = "";
    for (int field; (field = reader.nextField()) != -1; ) {
      switch (field) {
        case 2 -> id = reader.readUint64();
        case 4 -> error = reader.readString();
        default -> reader.skip();
      }
    }
    if (!error.isEmpty() || id == 0) {
      throw new GrpcException(
          GrpcCode.UNKNOWN, "lease grant failed" + (error.isEmpty() ? "" : ": " + error));
    }
    return id;
  }

  /** LeaseKeepAliveRequest and LeaseRevokeRequest: ID = 1. */
  static byte[] leaseRequest(long leaseId) {
    return new ProtoWriter().int64(1, leaseId).toByteArray();
  }

  /** LeaseKeepAliveResponse: TTL = 3, the seconds granted; 0 or less when the lease is gone. */
  static long renewedTtl(ByteBuffer message) throws GrpcException {
    ProtoReader reader = new ProtoReader("LeaseKeepAliveResponse", message);
    long ttl = 0;
    for (int field; (field = reader.nextField()) != -1; ) {
      if (field == 3) {
        ttl = reader.readUint64();
      } else {
        reader.skip();
      }
    }
    return ttl;
  }

  /** CampaignRequest: name = 1, lease = 2, value = 3. */
  static byte[] campaignRequest(byte[] election, long leaseId, byte[] value) {
    return new ProtoWriter().bytes(1, election).int64(2, leaseId).bytes(3, value).toByteArray();
  }

  /** CampaignResponse: leader = 2, a LeaderKey kept as its encoding, to resign with. */
  static byte[] leaderKey(ByteBuffer message) throws GrpcException {
    ProtoReader reader = new ProtoReader("CampaignResponse", message);
    for (int field; (field = reader.nextField()) != -1; ) {
      if (field == 2) {
        ByteBuffer key = reader.readBytes();
        byte[] copy = new byte[key.remaining()];
        key.get(copy);
        return copy;
      }
      reader.skip();
    }
    throw new GrpcException(GrpcCode.INTERNAL, "malformed CampaignResponse: no leader key");
  }

  /** ResignRequest: leader = 1. */
  static byte[] resignRequest(byte[] leaderKey) {
    return new ProtoWriter().bytes(1, leaderKey).toByteArray();
  }

  private static Member member(ByteBuffer message) throws GrpcException {
    ProtoReader reader = new ProtoReader("Member", message);
    long id = 0;
    String name = "";
    List<URI> peers = new ArrayList<>();
    List<URI> clients = new ArrayList<>();
    boolean learner = false;
    for (int field; (field = reader.nextField()) != -1; ) {
      switch (field) {
        case 1 -> id = reader.readUint64();
        case 2 -> name = reader.readString();
        case 3 -> peers.add(uri(reader.readString()));
        case 4 -> clients.add(uri(reader.readString()));
        case 5 -> learner = reader.readBool();
        default -> reader.skip();
      }
    }
    return new Member(id, name, peers, clients, learner);
  }

  private static Header header(ByteBuffer message) throws GrpcException {
    ProtoReader reader = new ProtoReader("ResponseHeader", message);
    long clusterId = 0;
    long memberId = 0;
    for (int field; (field = reader.nextField()) != -1; ) {
      switch (field) {
        case 1 -> clusterId = reader.readUint64();
        case 2 -> memberId = reader.readUint64();
        default -> reader.skip();
      }
    }
    return new Header(clusterId, memberId);
  }

  private static URI uri(String value) throws GrpcException {
    try {
      return URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new GrpcException(GrpcCode.INTERNAL, "malformed URL in the member list: " + value, e);
    }
  }
}
