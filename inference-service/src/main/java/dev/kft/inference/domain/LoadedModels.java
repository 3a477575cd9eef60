package dev.kft.inference.domain;

import dev.kft.inference.domain.Classifier.Score;
import dev.kft.io.ConfinedPaths;
import dev.kft.text.Text;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The versions loaded for predictions, within a budget of weight bytes: the first prediction of a
 * version loads it from its exported directory, later ones reuse it, and the least recently used
 * versions are unloaded to make room for another.
 */
public final class LoadedModels implements AutoCloseable {

  private final ConfinedPaths roots;
  private final long budgetBytes;
  private final int batchSize;
  private final Map<String, Classifier> loaded = new LinkedHashMap<>(16, 0.75f, true);
  private final Object loading = new Object();
  private long usedBytes;
  private long loads;

  /**
   * @param roots where exported directories may be read from
   * @param budgetBytes weight bytes kept loaded across versions
   * @param batchSize most inputs run through a model at once
   */
  public LoadedModels(ConfinedPaths roots, long budgetBytes, int batchSize) {
    this.roots = roots;
    this.budgetBytes = budgetBytes;
    this.batchSize = batchSize;
  }

  /** Per input, its labels by probability (see {@link Classifier#predict}). */
  public List<List<Score>> predict(
      ModelCatalog.Version version, List<? extends Text> inputs, Integer topK) throws IOException {
    try {
      return classifier(version).predict(inputs, topK);
    } catch (IllegalStateException unloaded) {
      // unloaded by another request between lookup and use: load it once more
      return classifier(version).predict(inputs, topK);
    }
  }

  /** How many times a version was loaded since the service started. */
  public synchronized long loads() {
    return loads;
  }

  /** How many versions are loaded now. */
  public synchronized int size() {
    return loaded.size();
  }

  /**
   * The loaded version, loading it first if need be. Loads happen one at a time, outside the
   * cache's lock, so predictions with versions already loaded never wait for one.
   */
  private Classifier classifier(ModelCatalog.Version version) throws IOException {
    String key = version.name() + ":" + version.version();
    Classifier c = cached(key);
    if (c != null) {
      return c;
    }
    synchronized (loading) {
      c = cached(key);
      if (c != null) {
        return c;
      }
      synchronized (this) {
        makeRoom(version.sizeBytes());
      }
      Path dir = roots.resolve(Path.of(URI.create(version.artifactUri())).toString());
      c = Classifier.load(dir, batchSize);
      synchronized (this) {
        loaded.put(key, c);
        usedBytes += c.sizeBytes();
        loads++;
      }
      return c;
    }
  }

  private synchronized Classifier cached(String key) {
    return loaded.get(key);
  }

  private void makeRoom(long bytes) {
    Iterator<Classifier> eldest = loaded.values().iterator();
    while (usedBytes + bytes > budgetBytes && eldest.hasNext()) {
      Classifier c = eldest.next();
      eldest.remove();
      usedBytes -= c.sizeBytes();
      c.close();
    }
  }

  @Override
  public synchronized void close() {
    loaded.values().forEach(Classifier::close);
    loaded.clear();
    usedBytes = 0;
  }
}
