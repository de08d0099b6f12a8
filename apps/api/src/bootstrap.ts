import multipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '@qc/config';
import { assertSchemaCurrent } from '@qc/database';
import { LOGGER, Logger, PinoNestLogger } from '@qc/logging';
import { PersonalDataReader } from '@qc/pii';
import { stringifyWithOffsets } from '@qc/time';
import { DataSource } from 'typeorm';
import { ApiModule } from './api.module';
import { registerETags } from './common/etag';
import { RegistryValidationPipe } from './common/registry-validation.pipe';
import { registerWorkbench } from './web/workbench';

/**
 * Builds the HTTP API (not yet listening); `qingcheng serve`, the api app and the tests share it.
 * Without shutdown hooks the caller closes the app on a signal (the CLI, which closes it once).
 */
export async function createApi({ shutdownHooks = true } = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule, new FastifyAdapter({ bodyLimit: 1024 * 1024 }), { bufferLogs: true });
  const logger = app.get<Logger>(LOGGER);
  app.useLogger(new PinoNestLogger(logger));
  if (shutdownHooks) app.enableShutdownHooks();
  app.useGlobalPipes(new RegistryValidationPipe());
  // Uploads are streamed to disk by the route, outside the 1 MiB body limit, up to their own limit.
  await app.register(multipart, { limits: { fileSize: app.get(AppConfig).maxUploadBytes, files: 1 } });
  // Times in JSON bodies are Hohhot's, ISO 8601 with the +08:00 offset (the same instants as UTC).
  app.getHttpAdapter().getInstance().setReplySerializer((payload) => stringifyWithOffsets(payload));
  registerETags(app.getHttpAdapter().getInstance(), app.get(PersonalDataReader));
  await assertSchemaCurrent(app.get(DataSource));
  await registerWorkbench(app);

  const document = SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle('Qingcheng Registry API')
    .setDescription('The unified registry of Hohhot\'s grassroots party-building data. Send an API key as `Authorization: Bearer <key>`.')
    .setVersion('1')
    .addBearerAuth()
    .build());
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

export async function serveApi(): Promise<NestFastifyApplication> {
  const app = await createApi();
  const config = app.get(AppConfig);
  await app.listen(config.port, config.host);
  return app;
}
