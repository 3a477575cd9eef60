package dev.kft.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertInit;
import dev.kft.checkpoint.HubClient;
import dev.kft.checkpoint.HubModelId;
import dev.kft.checkpoint.ModelExport;
import dev.kft.checkpoint.ModelSource;
import dev.kft.checkpoint.ModelSourceException;
import dev.kft.io.ConfinedPaths;
import dev.kft.nn.BertClassifier;
import dev.kft.nn.Inference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hf:// sources resolve through the hub's file endpoint into its cache layout, and offline. */
@Tag("unit")
class HubClientTest {

  private static final String SOURCE = "hf://kft-test/tiny-bert-chinese@main";

  @TempDir Path dir;
  private Path repoFiles;
  private float[][] expected;

  @BeforeEach
  void publishATinyModel() throws Exception {
    repoFiles = dir.resolve("repo");
    BertConfig config = ModelExportTest.tinyChinese(List.of("neg", "pos"));
    try (NDManager manager = NDManager.newBaseManager();
        BertClassifier model = BertClassifier.create(config, BertInit.random(config, 2), manager)) {
      ModelExport.write(
          model.config(), model.toTensors(), ModelExportTest.BERT_BASE_CHINESE, repoFiles);
      expected = new Inference(model, 4).run(ModelExportTest.batch()).logits();
    }
  }

  private ModelLoader loader(FakeHub hub, boolean offline) {
    HubClient client =
        new HubClient(hub.endpoint(), dir.resolve("cache"), offline, Optional.of("secret-token"));
    return new ModelLoader(new ModelSource(new ConfinedPaths(List.of(dir)), client));
  }

  private float[][] logits(ModelLoader loader) throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      ModelLoader.Loaded loaded =
          loader.load(new ModelLoader.Request(SOURCE, true, Map.of(), List.of(), 1), manager);
      return new Inference(loaded.model(), 4).run(ModelExportTest.batch()).logits();
    }
  }

  @Test
  void downloadsOnceIntoTheHubCacheLayoutThenWorksOffline() throws Exception {
    try (FakeHub hub = new FakeHub("kft-test/tiny-bert-chinese", repoFiles)) {
      assertArrayEquals(expected[1], logits(loader(hub, false))[1]);
      Path repo = dir.resolve("cache/models--kft-test--tiny-bert-chinese");
      assertEquals(FakeHub.COMMIT, Files.readString(repo.resolve("refs/main")));
      Path weights = repo.resolve("snapshots/" + FakeHub.COMMIT + "/model.safetensors");
      assertTrue(Files.isSymbolicLink(weights));
      assertTrue(Files.readSymbolicLink(weights).toString().startsWith("../../blobs/"));
      assertEquals(1, hub.downloads.get("model.safetensors"));
      assertTrue(hub.authorizations.contains("Bearer secret-token"));

      logits(loader(hub, false));
      assertEquals(1, hub.downloads.get("model.safetensors"), "cached blobs are not fetched");
    }
    assertArrayEquals(
        expected[0],
        logits(loader(new FakeHub("x/y", repoFiles), true))[0],
        "offline, the cache alone serves the model");
  }

  @Test
  void offlineWithoutTheFilesSaysSo() throws Exception {
    try (FakeHub hub = new FakeHub("kft-test/tiny-bert-chinese", repoFiles)) {
      ModelSourceException e =
          assertThrows(ModelSourceException.class, () -> logits(loader(hub, true)));
      assertTrue(e.getMessage().contains("is not in the hub cache"), e.getMessage());
      assertTrue(hub.authorizations.isEmpty(), "offline means no request at all");
    }
  }

  @Test
  void repositoriesWithoutSafetensorsAreRefused() throws Exception {
    Files.move(repoFiles.resolve("model.safetensors"), repoFiles.resolve("pytorch_model.bin"));
    try (FakeHub hub = new FakeHub("kft-test/tiny-bert-chinese", repoFiles)) {
      ModelSourceException e =
          assertThrows(ModelSourceException.class, () -> logits(loader(hub, false)));
      assertEquals(
          "hf://kft-test/tiny-bert-chinese@main has no file model.safetensors (kft "
              + "reads safetensors weights only, never pickled .bin files)",
          e.getMessage());
    }
  }

  @Test
  void sourceIdsAreParsed() {
    assertEquals(
        new HubModelId("bert-base-chinese", "main"), HubModelId.parse("hf://bert-base-chinese"));
    assertEquals(
        new HubModelId("google-bert/bert-base-chinese", "v1.0"),
        HubModelId.parse("hf://google-bert/bert-base-chinese@v1.0"));
    assertEquals(
        "models--google-bert--bert-base-chinese",
        HubModelId.parse("hf://google-bert/bert-base-chinese").cacheFolder());
    assertThrows(IllegalArgumentException.class, () -> HubModelId.parse("hf://a/b/c"));
  }
}
