package dev.grove.orchestrator.daemon;

import dev.grove.api.project.ProjectRequest;
import dev.grove.api.project.ProjectSummary;
import dev.grove.orchestrator.config.LoadedProject;
import dev.grove.orchestrator.project.ProjectService;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A ProjectService whose answer (or failure) each test sets; records the requests it got. */
final class FakeProjectService implements ProjectService {
  final List<ProjectRequest> requests = new CopyOnWriteArrayList<>();
  final List<String> threads = new CopyOnWriteArrayList<>();
  private volatile Function<ProjectRequest, ProjectSummary> behaviour =
      request -> new ProjectSummary("shop", "dev", List.of(), List.of());

  void answer(Function<ProjectRequest, ProjectSummary> behaviour) {
    this.behaviour = behaviour;
  }

  /** The requests of {@link #validate} alone (a dashboard's code also has the graph loaded). */
  final List<ProjectRequest> validated = new CopyOnWriteArrayList<>();

  @Override
  public ProjectSummary validate(ProjectRequest request) {
    validated.add(request);
    return call(request);
  }

  @Override
  public ProjectSummary graph(ProjectRequest request) {
    return call(request);
  }

  @Override
  public LoadedProject load(ProjectRequest request) {
    throw new UnsupportedOperationException("the fake project service runs nothing");
  }

  @Override
  public int loadedProjects() {
    return 1;
  }

  private final java.util.concurrent.atomic.AtomicInteger toDrop =
      new java.util.concurrent.atomic.AtomicInteger();

  /** The next {@link #evictIdle} reports this many projects dropped. */
  void dropOnNextEviction(int count) {
    toDrop.set(count);
  }

  @Override
  public int evictIdle() {
    return toDrop.getAndSet(0);
  }

  private ProjectSummary call(ProjectRequest request) {
    requests.add(request);
    threads.add(Thread.currentThread().getName());
    return behaviour.apply(request);
  }
}
