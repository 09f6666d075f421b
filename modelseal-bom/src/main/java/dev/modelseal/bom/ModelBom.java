package dev.modelseal.bom;

import dev.modelseal.ModelsealException;
import dev.modelseal.attest.ClaimResult;
import dev.modelseal.attest.EvalStatement;
import dev.modelseal.attest.MetricsStatement;
import dev.modelseal.attest.ScanStatement;
import dev.modelseal.attest.VerifiedAttestation;
import dev.modelseal.fingerprint.Fingerprinter;
import dev.modelseal.formats.FormatDetector;
import dev.modelseal.formats.FormatException;
import dev.modelseal.formats.TensorModel;
import dev.modelseal.manifest.Manifest;
import dev.modelseal.manifest.ModelHasher;
import dev.modelseal.manifest.ResourceDigest;
import dev.modelseal.manifest.Serialization;
import dev.modelseal.pin.ModelPin;
import dev.modelseal.pin.VerifiedModel;
import dev.modelseal.scan.ModelScanner;
import dev.modelseal.scan.ScanReport;
import dev.modelseal.scan.attest.ScanAttester;
import dev.modelseal.scan.closure.LoadClosure;
import dev.modelseal.walk.ModelWalker;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.component.ModelCard;
import org.cyclonedx.model.component.modelCard.PerformanceMetric;
import org.cyclonedx.model.component.modelCard.QuantitativeAnalysis;
import org.cyclonedx.model.metadata.ToolInformation;

/**
 * Writes the CycloneDX 1.6 JSON BOM of one model. The model is hashed, then read once into a
 * private copy verified against that manifest; formats, weight digests, the scan and the load-time
 * dependencies all come from that copy. Metrics enter the model card only from attestations the
 * caller's {@link Evidence} reports as verified. Properties use the {@code modelseal:} namespace
 * (docs/bom.md lists them). Every file of the model is a nested {@code file} component with its
 * SHA-256, at most {@value #MAX_FILES} of them (a larger model records the count).
 */
public final class ModelBom {
  /** The most file components listed. */
  public static final int MAX_FILES = 10_000;

  private final ModelScanner scanner;

  private ModelBom(ModelScanner scanner) {
    this.scanner = scanner;
  }

  /** A BOM writer scanning with {@code scanner}. */
  public static ModelBom create(ModelScanner scanner) {
    return new ModelBom(Objects.requireNonNull(scanner));
  }

  /** The BOM of {@code model} as JSON (UTF-8). */
  public byte[] cycloneDx(Path model, Serialization s, Evidence evidence)
      throws ModelsealException {
    Manifest m = ModelHasher.of(s).hash(ModelWalker.with(s.walk()).walk(model));
    try (VerifiedModel vm = ModelPin.of(m).open(model)) {
      Bom bom = bom(vm, evidence);
      try {
        return BomGeneratorFactory.createJson(Version.VERSION_16, bom)
            .toJsonString(true)
            .getBytes(StandardCharsets.UTF_8);
      } catch (GeneratorException e) {
        throw new IllegalStateException("CycloneDX generator failed: " + e.getMessage(), e);
      }
    }
  }

  private Bom bom(VerifiedModel vm, Evidence evidence) throws ModelsealException {
    Manifest m = vm.manifest();
    Component model = new Component();
    model.setType(Component.Type.MACHINE_LEARNING_MODEL);
    model.setBomRef("model");
    model.setName(vm.modelName());
    prop(model, "modelseal:oms:root", m.root().toString());
    prop(model, "modelseal:pin", m.pin().toString());
    prop(model, "modelseal:oms:method", m.serialization().method().toString());
    prop(model, "modelseal:files", Integer.toString(m.resources().size()));
    Map<String, String> formats = new LinkedHashMap<>();
    int listed = 0;
    for (ResourceDigest r : m.resources()) {
      if (listed++ == MAX_FILES) {
        break;
      }
      Component f = new Component();
      f.setType(Component.Type.FILE);
      f.setName(r.name());
      f.setBomRef("file:" + r.name());
      f.addHash(new Hash(Hash.Algorithm.SHA_256, r.digest().hex()));
      weights(vm, r.name(), f, formats);
      model.addComponent(f);
    }
    if (!formats.isEmpty()) {
      prop(model, "modelseal:formats", String.join(",", new java.util.TreeSet<>(formats.values())));
    }
    ScanReport scan = scanner.scan(vm);
    prop(model, "modelseal:scan:worst", scan.worst().map(x -> x.label()).orElse("none"));
    prop(model, "modelseal:scan:findings", Integer.toString(scan.findings().size()));
    prop(model, "modelseal:scan:complete", Boolean.toString(scan.complete()));
    prop(model, "modelseal:scan:rules", ScanAttester.rulesDigest().toString());
    prop(model, "modelseal:scan:version", ScanAttester.version());
    scan.findings().stream()
        .limit(100)
        .forEach(
            x ->
                prop(
                    model,
                    "modelseal:scan:finding",
                    x.severity().label() + " " + x.rule() + " " + x.where() + ": " + x.message()));
    evidence
        .signature()
        .ifPresent(
            sig -> {
              prop(model, "modelseal:signature:file", sig.file());
              prop(model, "modelseal:signature:verified", Boolean.toString(sig.verified()));
              prop(model, "modelseal:signature:signer", sig.signer());
              prop(model, "modelseal:signature:message", sig.message());
            });
    List<PerformanceMetric> metrics = new ArrayList<>();
    evidence
        .claims()
        .ifPresent(
            r -> {
              prop(model, "modelseal:claims:verified", Boolean.toString(r.verified()));
              for (ClaimResult c : r.claims()) {
                prop(
                    model,
                    "modelseal:claim",
                    "line "
                        + c.line()
                        + " "
                        + c.kind()
                        + " "
                        + c.predicateType()
                        + ": "
                        + (c.verified() ? "verified" : "NOT VERIFIED " + c.failure().orElse(""))
                        + " - "
                        + c.message());
                c.attestation().ifPresent(a -> metrics.addAll(metrics(a)));
              }
              r.unmetRequirements().forEach(u -> prop(model, "modelseal:claims:unmet", u));
            });
    if (!metrics.isEmpty()) {
      QuantitativeAnalysis qa = new QuantitativeAnalysis();
      qa.setPerformanceMetrics(metrics);
      ModelCard card = new ModelCard();
      card.setQuantitativeAnalysis(qa);
      model.setModelCard(card);
    }
    Bom bom = new Bom();
    bom.setSerialNumber("urn:uuid:" + UUID.randomUUID());
    bom.setVersion(1);
    Metadata meta = new Metadata();
    meta.setTimestamp(new Date());
    Component tool = new Component();
    tool.setType(Component.Type.APPLICATION);
    tool.setName("modelseal");
    tool.setVersion(ScanAttester.version());
    ToolInformation ti = new ToolInformation();
    ti.setComponents(List.of(tool));
    meta.setToolChoice(ti);
    meta.setComponent(model);
    bom.setMetadata(meta);
    Dependency root = new Dependency("model");
    List<Dependency> graph = new ArrayList<>();
    if (vm.directory().isPresent() && !vm.isSingleFile()) {
      int i = 0;
      for (Map.Entry<String, LoadClosure.Dependency> e :
          LoadClosure.dependencies(vm.directory().get(), vm.fileNames())) {
        LoadClosure.Dependency d = e.getValue();
        ScanStatement.Dependency sd =
            new ScanStatement.Dependency(
                d.name(), d.revision(), e.getKey(), d.field(), d.fetched());
        Component c = new Component();
        c.setType(Component.Type.MACHINE_LEARNING_MODEL);
        c.setName(sd.name());
        c.setBomRef("dependency:" + (i++) + ":" + sd.name());
        if (!sd.revision().isEmpty()) {
          c.setVersion(sd.revision());
        }
        c.setScope(d.fetched() ? Component.Scope.REQUIRED : Component.Scope.EXCLUDED);
        prop(c, "modelseal:dependency:file", sd.file());
        prop(c, "modelseal:dependency:field", sd.field());
        prop(c, "modelseal:dependency:fetched", Boolean.toString(sd.fetched()));
        prop(c, "modelseal:dependency:pinned", Boolean.toString(sd.pinned()));
        bom.addComponent(c);
        root.addDependency(new Dependency(c.getBomRef()));
        graph.add(new Dependency(c.getBomRef()));
      }
    }
    bom.addDependency(root);
    graph.forEach(bom::addDependency);
    return bom;
  }

  private static void weights(
      VerifiedModel vm, String name, Component f, Map<String, String> formats) {
    if (vm.directory().isEmpty()) {
      return;
    }
    try (TensorModel t = FormatDetector.create().open(vm.file(name))) {
      String format = t.format().label();
      formats.put(name, format);
      prop(f, "modelseal:format", format);
      prop(
          f,
          "modelseal:weights:content",
          Fingerprinter.create().fingerprint(t).content().toString());
    } catch (FormatException e) {
      // not a tensor format the readers know: listed by its file digest only
    } catch (ModelsealException e) {
      prop(f, "modelseal:weights:error", e.reason());
    }
  }

  /** Metrics of a verified metrics or eval attestation, as model-card performance metrics. */
  private static List<PerformanceMetric> metrics(VerifiedAttestation a) {
    List<PerformanceMetric> out = new ArrayList<>();
    String slice = "";
    if (a.statement() instanceof MetricsStatement ms) {
      slice = ms.dataset().map(d -> d.name() + " " + d.digest()).orElse("");
    } else if (a.statement() instanceof EvalStatement es) {
      slice = es.dataset().name() + " " + es.dataset().digest();
    }
    for (Map.Entry<String, BigDecimal> e : a.metrics().values().entrySet()) {
      PerformanceMetric p = new PerformanceMetric();
      p.setType(e.getKey());
      p.setValue(e.getValue().toPlainString());
      if (!slice.isEmpty()) {
        p.setSlice(slice);
      }
      out.add(p);
    }
    return out;
  }

  private static void prop(Component c, String name, String value) {
    c.addProperty(new Property(name, value));
  }
}
