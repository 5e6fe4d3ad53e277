// Nothing here should be reported.
const local = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";
const sample = "https://myaccount.blob.core.windows.net/?sv=2019-02-02&ss=bf&srt=s&sp=rw&se=2019-08-10&sig=REDACTED";
// A reviewed, read-only demo token for a public container:
const demo = "https://publicdemo.blob.core.windows.net/samples/hello.txt?sv=2024-11-04&sr=b&sp=r&se=2030-01-01&spr=https&sig=gTgEMG%2FSAOgE%2FkDzkNkk%2BxR6ZgFJJdo%2BD%2BDLGxEoipg%3D"; // sasguard:ignore
export { local, sample, demo };
