import { makeStyles, Theme, Grid, Paper } from '@material-ui/core';
import { CatalogSearchResultListItem } from '@backstage/plugin-catalog';
import {
  catalogApiRef,
  CATALOG_FILTER_EXISTS,
} from '@backstage/plugin-catalog-react';
import { SearchType } from '@backstage/plugin-search';
import {
  SearchBar,
  SearchFilter,
  SearchResult,
  SearchPagination,
} from '@backstage/plugin-search-react';
import { Content, Header, Page } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';

const useStyles = makeStyles((theme: Theme) => ({
  bar: {
    padding: theme.spacing(1, 0),
  },
  filters: {
    padding: theme.spacing(2),
    marginTop: theme.spacing(2),
  },
}));

const SearchPageContent = () => {
  const classes = useStyles();
  const catalogApi = useApi(catalogApiRef);
  return (
    <Page themeId="home">
      <Header title="Search" />
      <Content>
        <Grid container direction="row">
          <Grid item xs={12}>
            <Paper className={classes.bar}>
              <SearchBar />
            </Paper>
          </Grid>
          <Grid item xs={3}>
            <SearchType
              values={['software-catalog']}
              name="type"
              defaultValue="software-catalog"
            />
            <Paper className={classes.filters}>
              <SearchFilter.Select
                className={classes.filters}
                label="Kind"
                name="kind"
                values={['Component', 'System', 'API', 'Group', 'User']}
              />
              <SearchFilter.Select
                className={classes.filters}
                label="Owner"
                name="owner"
                values={async () => {
                  const { items } = await catalogApi.getEntities({
                    fields: ['metadata.name'],
                    filter: {
                      kind: 'Group',
                      'metadata.name': CATALOG_FILTER_EXISTS,
                    },
                  });
                  return items.map(entity => entity.metadata.name).sort();
                }}
              />
            </Paper>
          </Grid>
          <Grid item xs={9}>
            <SearchPagination />
            <SearchResult>
              <CatalogSearchResultListItem />
            </SearchResult>
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
};

export const searchPage = <SearchPageContent />;
