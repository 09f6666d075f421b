package dev.modelseal.s3;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/** An s3proxy on 127.0.0.1 (free port, filesystem blob store, no authorization) for tests. */
final class TestServer implements AutoCloseable {
  final S3Proxy proxy;
  final URI endpoint;
  final S3Client admin;

  private TestServer(S3Proxy proxy, URI endpoint) {
    this.proxy = proxy;
    this.endpoint = endpoint;
    this.admin =
        S3Client.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .build();
  }

  static TestServer start(Path dir) throws Exception {
    // The default credentials chain of the code under test reads these.
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    System.setProperty("aws.disableEc2Metadata", "true"); // nothing beyond loopback
    System.setProperty("aws.region", "us-east-1");
    Files.createDirectories(dir);
    Properties p = new Properties();
    p.setProperty("jclouds.filesystem.basedir", dir.toString());
    p.setProperty("jclouds.identity", "");
    p.setProperty("jclouds.credential", "");
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(BlobStores.create("filesystem", p))
            .awsAuthentication(AuthenticationType.NONE, "", "")
            .ignoreUnknownHeaders(true)
            .endpoint(URI.create("http://127.0.0.1:0"))
            .build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(10);
    }
    return new TestServer(proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
  }

  void createBucket(String b) {
    admin.createBucket(r -> r.bucket(b));
  }

  void put(String bucket, String key, byte[] data) {
    admin.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(data));
  }

  void delete(String bucket, String key) {
    admin.deleteObject(r -> r.bucket(bucket).key(key));
  }

  @Override
  public void close() throws Exception {
    admin.close();
    proxy.stop();
  }
}
