import { z } from 'zod';
import { CodeSchema, type DolphinCode, type DolphinProject, ProjectSchema } from '../schemas';
import { type DolphinCallOptions, type DolphinPage, NullishData, pageOf } from './common';
import { DolphinTransport } from './transport';

/**
 * Projects and task codes (part of {@link DolphinClient}).
 *
 * @internal
 */
export class DolphinProjectsApi extends DolphinTransport {
  /**
   * Lists projects (paged, `searchVal` is a LIKE filter).
   *
   * @param query - search value and paging
   * @param options - abort signal
   * @returns a page of projects
   */
  async listProjects(
    query: {
      readonly searchVal?: string;
      readonly pageNo?: number;
      readonly pageSize?: number;
    } = {},
    options?: DolphinCallOptions,
  ): Promise<DolphinPage<DolphinProject>> {
    return this.send(
      {
        op: 'listProjects',
        method: 'GET',
        path: 'projects',
        params: {
          searchVal: query.searchVal,
          pageNo: query.pageNo ?? 1,
          pageSize: query.pageSize ?? 100,
        },
        schema: pageOf(ProjectSchema),
      },
      options ?? {},
    );
  }

  /**
   * Finds a project by exact name (names are globally unique).
   *
   * @param name - project name
   * @param options - abort signal
   * @returns the project, or null
   */
  async findProjectByName(
    name: string,
    options?: DolphinCallOptions,
  ): Promise<DolphinProject | null> {
    const page = await this.listProjects({ searchVal: name, pageSize: 100 }, options);
    return page.items.find((p) => p.name === name) ?? null;
  }

  /**
   * Creates a project (HTTP 201; an existing name answers 10019 → `NAME_EXISTS`).
   *
   * @param name - project name
   * @param description - optional description (≤ 255 chars)
   * @param options - abort signal
   * @returns the project
   */
  async createProject(
    name: string,
    description?: string,
    options?: DolphinCallOptions,
  ): Promise<DolphinProject> {
    return this.send(
      {
        op: 'createProject',
        method: 'POST',
        path: 'projects',
        params: { projectName: name, description },
        schema: ProjectSchema,
      },
      options ?? {},
    );
  }

  /**
   * Reads a project by code.
   *
   * @param code - project code
   * @param options - abort signal
   * @returns the project
   */
  async getProject(code: DolphinCode, options?: DolphinCallOptions): Promise<DolphinProject> {
    return this.send(
      { op: 'getProject', method: 'GET', path: `projects/${code}`, schema: ProjectSchema },
      options ?? {},
    );
  }

  /**
   * Deletes a project (fails with 10137 while it still has workflows).
   *
   * @param code - project code
   * @param options - abort signal
   */
  async deleteProject(code: DolphinCode, options?: DolphinCallOptions): Promise<void> {
    await this.send(
      { op: 'deleteProject', method: 'DELETE', path: `projects/${code}`, schema: NullishData },
      options ?? {},
    );
  }

  /**
   * Generates task codes (1–100 per call).
   *
   * @param projectCode - project code
   * @param count - how many
   * @param options - abort signal
   * @returns the new codes
   */
  async genTaskCodes(
    projectCode: DolphinCode,
    count: number,
    options?: DolphinCallOptions,
  ): Promise<DolphinCode[]> {
    return this.send(
      {
        op: 'genTaskCodes',
        method: 'GET',
        path: `projects/${projectCode}/task-definition/gen-task-codes`,
        params: { genNum: count },
        schema: z.array(CodeSchema),
      },
      options ?? {},
    );
  }
}
