package dev.grove.orchestrator.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import dev.grove.orchestrator.files.FileScanner;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells of every file created, changed or deleted under a root, as paths relative to it ({@code /}
 * separated), by the JDK's {@link WatchService} (inotify here): one registration per folder that
 * the project's scan walks into, new folders registered as they appear (their files reported too).
 * Grove's and tools' folders ({@code .git}, {@code .garden}, {@code .grove}) and folders the ignore
 * files leave out ({@code node_modules}, say) are never watched; an ignore file that changes
 * registers what it no longer ignores. When the kernel drops events ({@code OVERFLOW}), {@link
 * #EVERYTHING} is reported: the caller rescans. One thread, which sleeps in the kernel while
 * nothing changes.
 */
public final class TreeWatcher implements AutoCloseable {
  /** Reported when events were lost: anything may have changed. */
  public static final String EVERYTHING = "*";

  private static final Logger LOG = LoggerFactory.getLogger(TreeWatcher.class);

  private final Path root;
  private final List<String> ignoreFileNames;
  private final WatchService service;
  private final Consumer<Set<String>> listener;
  private final Map<WatchKey, Path> keys = new ConcurrentHashMap<>();
  private final Thread thread;

  /**
   * Registers every folder under {@code root} and starts the thread that reports changes to {@code
   * listener} (on that thread; keep it short).
   */
  public TreeWatcher(Path root, List<String> ignoreFileNames, Consumer<Set<String>> listener)
      throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.ignoreFileNames = List.copyOf(ignoreFileNames);
    this.listener = listener;
    this.service = FileSystems.getDefault().newWatchService();
    try {
      walk(this.root, null); // the first walk must see every folder, or the watch is partial
    } catch (IOException e) {
      service.close();
      throw e;
    }
    this.thread = new Thread(this::loop, "grove-watch-" + this.root.getFileName());
    thread.setDaemon(true);
    thread.start();
  }

  /** How many folders are watched. */
  public int folders() {
    return keys.size();
  }

  private void loop() {
    try {
      while (true) {
        WatchKey key = service.take();
        Set<String> changed = new LinkedHashSet<>();
        collect(key, changed);
        // whatever else is already there goes in the same report
        WatchKey more;
        while ((more = service.poll()) != null) {
          collect(more, changed);
        }
        if (!changed.isEmpty()) {
          listener.accept(changed);
        }
      }
    } catch (ClosedWatchServiceException | InterruptedException closed) {
      // close()
    } catch (RuntimeException e) {
      LOG.warn("The file watcher of {} stopped: {}", root, e.toString());
    }
  }

  private void collect(WatchKey key, Set<String> changed) {
    Path dir = keys.get(key);
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == OVERFLOW || dir == null) {
        changed.add(EVERYTHING);
        registerTree(root, null); // folders created meanwhile (registered ones keep their key)
        continue;
      }
      Path path = dir.resolve((Path) event.context());
      if (event.kind() == ENTRY_CREATE && Files.isDirectory(path)) {
        registerTree(path, changed); // files written into it before registration count too
        continue;
      }
      if (ignoreFileNames.contains(path.getFileName().toString())) {
        registerTree(root, null); // folders it no longer ignores (registered ones keep their key)
      }
      changed.add(relative(path));
    }
    if (!key.reset()) {
      keys.remove(key); // the folder is gone
    }
  }

  /** Registers a folder that appeared, and lists its files; a failure is logged. */
  private void registerTree(Path start, Set<String> found) {
    try {
      walk(start, found);
    } catch (IOException e) {
      LOG.warn("Cannot watch {}: {}", start, e.toString());
    }
  }

  /**
   * Registers the folders under {@code start} that the project's scan walks into (not ignored, not
   * skipped), and lists their files into {@code found} when given.
   */
  private void walk(Path start, Set<String> found) throws IOException {
    String rel = start.equals(root) ? "" : relative(start);
    // A folder created after the scan listed its parent and before the parent was registered
    // gives no event: scan again after registering until a scan finds no folder it did not know.
    Set<Path> registered = new HashSet<>();
    boolean more = true;
    while (more) {
      more = false;
      for (Path dir : FileScanner.folders(root, rel, ignoreFileNames)) {
        if (!registered.add(dir)) {
          continue;
        }
        more = true;
        keys.put(dir.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE), dir);
        if (found != null) {
          try (Stream<Path> files = Files.list(dir)) {
            files.filter(Files::isRegularFile).forEach(file -> found.add(relative(file)));
          } catch (IOException e) {
            // gone already: its delete event follows
          }
        }
      }
    }
  }

  private String relative(Path path) {
    return root.relativize(path).toString().replace('\\', '/');
  }

  @Override
  public void close() {
    try {
      service.close();
    } catch (IOException e) {
      // closing anyway
    }
    thread.interrupt();
  }
}
