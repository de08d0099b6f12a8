import { Module } from '@nestjs/common';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeysService } from './api-keys.service';
import { RateLimiter } from './rate-limiter';

@Module({
  providers: [ApiKeysService, ApiKeyGuard, RateLimiter],
  exports: [ApiKeysService, ApiKeyGuard],
})
export class AuthModule {}
