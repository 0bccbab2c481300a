import { ErrorResult } from '../layout/guards';
import { ApiError } from '../api/client';

export function NotFoundPage() {
  return <ErrorResult error={new ApiError(404, '没有这个页面')} />;
}
