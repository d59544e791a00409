package dev.grove.sandbox.cri;

import com.google.protobuf.Message;
import dev.grove.sandbox.cri.v1.AttachRequest;
import dev.grove.sandbox.cri.v1.AttachResponse;
import dev.grove.sandbox.cri.v1.ContainerStatusRequest;
import dev.grove.sandbox.cri.v1.ContainerStatusResponse;
import dev.grove.sandbox.cri.v1.CreateContainerRequest;
import dev.grove.sandbox.cri.v1.CreateContainerResponse;
import dev.grove.sandbox.cri.v1.ExecRequest;
import dev.grove.sandbox.cri.v1.ExecResponse;
import dev.grove.sandbox.cri.v1.ExecSyncRequest;
import dev.grove.sandbox.cri.v1.ExecSyncResponse;
import dev.grove.sandbox.cri.v1.ListContainersRequest;
import dev.grove.sandbox.cri.v1.ListContainersResponse;
import dev.grove.sandbox.cri.v1.ListPodSandboxRequest;
import dev.grove.sandbox.cri.v1.ListPodSandboxResponse;
import dev.grove.sandbox.cri.v1.PodSandboxStatusRequest;
import dev.grove.sandbox.cri.v1.PodSandboxStatusResponse;
import dev.grove.sandbox.cri.v1.PortForwardRequest;
import dev.grove.sandbox.cri.v1.PortForwardResponse;
import dev.grove.sandbox.cri.v1.PullImageRequest;
import dev.grove.sandbox.cri.v1.PullImageResponse;
import dev.grove.sandbox.cri.v1.RemoveContainerRequest;
import dev.grove.sandbox.cri.v1.RemoveContainerResponse;
import dev.grove.sandbox.cri.v1.RemovePodSandboxRequest;
import dev.grove.sandbox.cri.v1.RemovePodSandboxResponse;
import dev.grove.sandbox.cri.v1.RunPodSandboxRequest;
import dev.grove.sandbox.cri.v1.RunPodSandboxResponse;
import dev.grove.sandbox.cri.v1.StartContainerRequest;
import dev.grove.sandbox.cri.v1.StartContainerResponse;
import dev.grove.sandbox.cri.v1.StopContainerRequest;
import dev.grove.sandbox.cri.v1.StopContainerResponse;
import dev.grove.sandbox.cri.v1.StopPodSandboxRequest;
import dev.grove.sandbox.cri.v1.StopPodSandboxResponse;
import dev.grove.sandbox.cri.v1.VersionRequest;
import dev.grove.sandbox.cri.v1.VersionResponse;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A client of a container runtime's CRI ({@code runtime.v1}) on its unix socket: one blocking
 * method per call the kubelet makes, each bounded by a deadline. Thread-safe (one channel).
 *
 * <p>The calls are declared here rather than generated (the messages come from {@code cri.proto}):
 * a unary gRPC call is a method name and two message types.
 */
public final class CriClient implements AutoCloseable {

  /** Deadline of calls that only read or change the runtime's records. */
  public static final Duration QUICK = Duration.ofSeconds(10);

  /** Deadline of an image pull (layers come from the local registry). */
  public static final Duration PULL = Duration.ofMinutes(5);

  /** Deadline of running a pod sandbox (the pause container and the CNI plugins). */
  public static final Duration SANDBOX = Duration.ofMinutes(1);

  private static final String RUNTIME = "runtime.v1.RuntimeService/";
  private static final String IMAGES = "runtime.v1.ImageService/";

  /** A failed call: gRPC's status code name and the runtime's own message. */
  public static final class CriException extends Exception {
    private static final long serialVersionUID = 1L;
    public final String code;

    CriException(String call, StatusRuntimeException e) {
      super(
          e.getStatus().getDescription() == null
              ? call + ": " + e.getStatus().getCode()
              : e.getStatus().getDescription());
      this.code = e.getStatus().getCode().name();
    }

    public boolean notFound() {
      return code.equals(io.grpc.Status.Code.NOT_FOUND.name());
    }
  }

  private final Path socket;
  private final EventLoopGroup group;
  private final ManagedChannel channel;

  public CriClient(Path socket) {
    this.socket = socket;
    this.group = new EpollEventLoopGroup(1);
    this.channel =
        NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .eventLoopGroup(group)
            .channelType(EpollDomainSocketChannel.class)
            .usePlaintext()
            .maxInboundMessageSize(64 * 1024 * 1024)
            .build();
  }

  public Path socket() {
    return socket;
  }

  public VersionResponse version() throws CriException {
    return call(
        RUNTIME + "Version",
        VersionRequest.newBuilder().setVersion("v1").build(),
        VersionResponse.getDefaultInstance(),
        QUICK);
  }

  public PullImageResponse pullImage(PullImageRequest request) throws CriException {
    return call(IMAGES + "PullImage", request, PullImageResponse.getDefaultInstance(), PULL);
  }

  public RunPodSandboxResponse runPodSandbox(RunPodSandboxRequest request) throws CriException {
    return call(
        RUNTIME + "RunPodSandbox", request, RunPodSandboxResponse.getDefaultInstance(), SANDBOX);
  }

  public PodSandboxStatusResponse podSandboxStatus(String id) throws CriException {
    return call(
        RUNTIME + "PodSandboxStatus",
        PodSandboxStatusRequest.newBuilder().setPodSandboxId(id).build(),
        PodSandboxStatusResponse.getDefaultInstance(),
        QUICK);
  }

  public ListPodSandboxResponse listPodSandbox(ListPodSandboxRequest request) throws CriException {
    return call(
        RUNTIME + "ListPodSandbox", request, ListPodSandboxResponse.getDefaultInstance(), QUICK);
  }

  public void stopPodSandbox(String id) throws CriException {
    call(
        RUNTIME + "StopPodSandbox",
        StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build(),
        StopPodSandboxResponse.getDefaultInstance(),
        SANDBOX);
  }

  public void removePodSandbox(String id) throws CriException {
    call(
        RUNTIME + "RemovePodSandbox",
        RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build(),
        RemovePodSandboxResponse.getDefaultInstance(),
        SANDBOX);
  }

  public String createContainer(CreateContainerRequest request) throws CriException {
    return call(
            RUNTIME + "CreateContainer",
            request,
            CreateContainerResponse.getDefaultInstance(),
            SANDBOX)
        .getContainerId();
  }

  public void startContainer(String id) throws CriException {
    call(
        RUNTIME + "StartContainer",
        StartContainerRequest.newBuilder().setContainerId(id).build(),
        StartContainerResponse.getDefaultInstance(),
        SANDBOX);
  }

  /** Stops a container, killing it after {@code grace}; the call waits that long and more. */
  public void stopContainer(String id, Duration grace) throws CriException {
    call(
        RUNTIME + "StopContainer",
        StopContainerRequest.newBuilder().setContainerId(id).setTimeout(grace.toSeconds()).build(),
        StopContainerResponse.getDefaultInstance(),
        grace.plus(QUICK));
  }

  public void removeContainer(String id) throws CriException {
    call(
        RUNTIME + "RemoveContainer",
        RemoveContainerRequest.newBuilder().setContainerId(id).build(),
        RemoveContainerResponse.getDefaultInstance(),
        QUICK);
  }

  public ListContainersResponse listContainers(ListContainersRequest request) throws CriException {
    return call(
        RUNTIME + "ListContainers", request, ListContainersResponse.getDefaultInstance(), QUICK);
  }

  public ContainerStatusResponse containerStatus(String id) throws CriException {
    return call(
        RUNTIME + "ContainerStatus",
        ContainerStatusRequest.newBuilder().setContainerId(id).build(),
        ContainerStatusResponse.getDefaultInstance(),
        QUICK);
  }

  /** Runs a command in a container, killing it after {@code timeout}. */
  public ExecSyncResponse execSync(String id, java.util.List<String> command, Duration timeout)
      throws CriException {
    return call(
        RUNTIME + "ExecSync",
        ExecSyncRequest.newBuilder()
            .setContainerId(id)
            .addAllCmd(command)
            .setTimeout(Math.max(1, timeout.toSeconds()))
            .build(),
        ExecSyncResponse.getDefaultInstance(),
        timeout.plus(QUICK));
  }

  public ExecResponse exec(ExecRequest request) throws CriException {
    return call(RUNTIME + "Exec", request, ExecResponse.getDefaultInstance(), QUICK);
  }

  public AttachResponse attach(AttachRequest request) throws CriException {
    return call(RUNTIME + "Attach", request, AttachResponse.getDefaultInstance(), QUICK);
  }

  public PortForwardResponse portForward(PortForwardRequest request) throws CriException {
    return call(RUNTIME + "PortForward", request, PortForwardResponse.getDefaultInstance(), QUICK);
  }

  private <Q extends Message, R extends Message> R call(
      String method, Q request, R responseType, Duration deadline) throws CriException {
    @SuppressWarnings("unchecked")
    MethodDescriptor<Q, R> descriptor =
        MethodDescriptor.<Q, R>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(method)
            .setRequestMarshaller(ProtoUtils.marshaller((Q) request.getDefaultInstanceForType()))
            .setResponseMarshaller(ProtoUtils.marshaller(responseType))
            .build();
    try {
      return ClientCalls.blockingUnaryCall(
          channel,
          descriptor,
          CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS),
          request);
    } catch (StatusRuntimeException e) {
      throw new CriException(method, e);
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
