/**
 * Models in OCI registries ({@code oci://REGISTRY/REPO:TAG} or {@code @sha256:DIGEST}): {@link
 * dev.modelseal.oci.OciModelSource} resolves a manifest (ModelPack {@code
 * application/vnd.cncf.model.*} layers, ORAS-style artifacts named by {@code
 * org.opencontainers.image.title}), streams every blob through the core's hashing staged copy while
 * checking the blob's own OCI digest, unpacks tar layers safely, publishes atomically only on a
 * match, signs a model from its manifest's layer digests and attaches the OMS bundle as an OCI 1.1
 * referrer, and attaches and lists DSSE attestations the same way. The registry client speaks the
 * OCI distribution specification over the JDK's HTTP clients ({@code HttpURLConnection} for GET and
 * HEAD, {@code java.net.http.HttpClient} for uploads); every JSON document is parsed strictly and
 * bounded.
 */
package dev.modelseal.oci;
