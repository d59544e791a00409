package dev.grove.actions.build.container;

/**
 * What a jib build produced.
 *
 * @param imageReference the image written ({@code registry/repo:tag}, or the tar's name)
 * @param digest the manifest digest ({@code sha256:...})
 * @param imageId the config digest, what {@code docker images} shows
 * @param blobsUploaded blobs (layers and the config) pushed to the registry; 0 for a tar. From
 *     jib's events: a blob mounted from another repository of the registry counts as pushed
 * @param blobsReused blobs the registry already had (0 for a tar)
 * @param bytesUploaded the sizes of the uploaded blobs (compressed, as stored)
 */
public record BuildResult(
    String imageReference,
    String digest,
    String imageId,
    int blobsUploaded,
    int blobsReused,
    long bytesUploaded) {}
