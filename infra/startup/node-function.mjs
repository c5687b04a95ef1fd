// The baseline of the start-up comparison (docs/benchmarks.md): a Node 20
// function as such functions are usually written, with the AWS SDK v3
// DynamoDB client built at init, then the Lambda Runtime API loop. What is
// timed is spawn to the first `GET /runtime/invocation/next`, as for ours.
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import http from "node:http";

const client = new DynamoDBClient({});
const api = process.env.AWS_LAMBDA_RUNTIME_API;

function next() {
  http.get(`http://${api}/2018-06-01/runtime/invocation/next`, (res) => {
    res.resume();
    res.on("end", async () => {
      const id = res.headers["lambda-runtime-aws-request-id"];
      const out = await client
        .send(new GetItemCommand({ TableName: process.env.HISAAB_TABLE, Key: { PK: { S: "x" }, SK: { S: "y" } } }))
        .catch((e) => ({ error: e.name }));
      const req = http.request(`http://${api}/2018-06-01/runtime/invocation/${id}/response`, { method: "POST" });
      req.end(JSON.stringify(out));
      next();
    });
  });
}
next();
